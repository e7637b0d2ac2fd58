/* heapsim_record._recorder: records what CPython's cyclic collector sees.
 *
 * While a window is open it writes, in the order they happen (the GIL
 * serialises every hook, so one stream under the GIL is totally ordered):
 *   - every creation of a GC-type object (fresh memory or a free list),
 *     every start of its deallocation and every return of its memory;
 *   - right before each collection, every object of the generations it
 *     collects with its reference count and referents (tp_traverse);
 *   - each collection's generation and result (gc.callbacks);
 *   - threshold and enabled changes.
 * docs/recording.md describes the format; recorder/tests/read_recording.py
 * decodes it.
 *
 * How objects are seen (docs/recording.md, "mechanism"):
 *   3.11, 3.12: libpython's own calls of _Py_NewReference and _Py_Dealloc go
 *     through its PLT (shared-libpython builds, compiled without
 *     -fno-semantic-interposition, e.g. pyenv's); the GOT slots of every
 *     loaded object are pointed at the hooks below. dlopen is hooked the
 *     same way so that extension modules loaded during the window are
 *     patched too.
 *   3.13.3+: PyRefTracer_SetTracer (earlier 3.13 releases miss deaths).
 *   All: the object-domain allocator (PyMem_SetAllocator) says whether a
 *     creation took new memory (count0 + 1) or a free-list entry (no
 *     change), and whether a death returned the memory (count0 - 1).
 *
 * The hooks allocate no Python object; buffers come from libc.
 */
#define PY_SSIZE_T_CLEAN
#define Py_BUILD_CORE 1
#include <Python.h>
#include "internal/pycore_gc.h"
#include "internal/pycore_interp.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "version_gate.h"

/* Refused at import: a build against these headers cannot record. The
   versions are decided by hsr_version_refusal (version_gate.h). */
#if defined(Py_GIL_DISABLED)
#define HSR_UNSUPPORTED HSR_REFUSE_FREE_THREADED
#endif

#if PY_VERSION_HEX >= 0x030D0000
#define HSR_REFTRACER 1
#else
#define HSR_REFTRACER 0
#endif

/* ---------------------------------------------------------------- format */

#define HSR_MAGIC "heapsimR"
/* 2: each COLLECT_START is followed by the WEAKREF records of the weak
   references to its objects (docs/recording.md, "Recording format"). */
#define HSR_FORMAT_VERSION 2

enum {
    OP_TYPE = 0x01,
    OP_NEW_FRESH = 0x02,
    OP_NEW_REUSED = 0x03,
    OP_MOVE = 0x04,
    OP_DEALLOC = 0x05,
    OP_FREED = 0x06,
    OP_GCSTATE = 0x07,
    OP_COLLECT_START = 0x08,
    OP_COLLECT_STOP = 0x09,
    OP_TIME = 0x0A,
    OP_END = 0x0B,
    OP_NEW_EARLY =
        0x0C, /* fresh, its memory (count0 + 1) taken before the latest collection started */
    OP_SNAPSHOT = 0x0D,   /* a young-generation snapshot, no collection (snapshot_every) */
    OP_FREEZE = 0x0E,     /* gc.freeze() ran; the counts after it */
    OP_UNFREEZE = 0x0F,   /* gc.unfreeze() ran; the counts after it */
    OP_LONG_LIVED = 0x10, /* long_lived_total, long_lived_pending (full-collection rule) */
    OP_WEAKREF = 0x11,    /* after COLLECT_START: a weakref to one of its objects */
};

enum { WF_CALLBACK = 1 }; /* WEAKREF flags: the weakref has a callback */

enum { END_STOP = 0, END_MAX_SECONDS = 1, END_MAX_BYTES = 2, END_WRITE_ERROR = 3 };

enum {
    TF_GC = 1,
    TF_FINALIZER = 2,        /* tp_finalize (PEP 442, __del__) */
    TF_LEGACY_FINALIZER = 4, /* tp_del */
    TF_WEAKREFABLE = 8,
    TF_HEAPTYPE = 16,
    TF_MANAGED_DICT = 32,
    TF_TYPE = 64, /* instances are type objects */
};

/* ------------------------------------------------------- chunked buffer */

#define CHUNK_BYTES (1u << 20)
#define CHUNK_SLACK 64 /* room for the largest fixed record */
#define MAX_QUEUED_CHUNKS 64

typedef struct chunk {
    struct chunk* next;
    size_t len;
    uint8_t data[CHUNK_BYTES];
} chunk;

static struct {
    atomic_int active; /* hooks record only while set */
    chunk* cur;
    uint64_t last_addr; /* addresses are deltas from the previous one */
    uint64_t start_ns;
    uint64_t events;
    /* writer thread */
    pthread_t writer;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    chunk *queue_head, *queue_tail;
    chunk* free_chunks;
    int chunks_out; /* chunks allocated and not in free_chunks */
    int closing;
    FILE* file;
    char *path, *tmp_path;
    ZSTD_CCtx* zc;
    int level;
    uint64_t raw_bytes, written_bytes;
    uint64_t deadline_ns, max_bytes;
    uint64_t snapshot_every, since_snapshot; /* GC creations between young snapshots */
    uint64_t snapshots, snapshot_objects;    /* written (collections' and young ones) */
    uint64_t weakrefs;                       /* WEAKREF records written */
    atomic_int end_reason;
    _Atomic uint64_t closed_ns; /* when a limit closed the window */
    int write_error;
} R = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void put_varint_raw(uint64_t v);
static void put_time(void);

/* Gives the filled chunk to the writer and takes an empty one; waits when
   the writer is MAX_QUEUED_CHUNKS behind (the GIL is held: the program
   waits for the disk rather than growing without bound). */
static void hand_off_chunk(void) {
    pthread_mutex_lock(&R.mu);
    chunk* c = R.cur;
    c->next = NULL;
    if (R.queue_tail)
        R.queue_tail->next = c;
    else
        R.queue_head = c;
    R.queue_tail = c;
    pthread_cond_broadcast(&R.cv);
    chunk* fresh = NULL;
    for (;;) {
        if (R.free_chunks) {
            fresh = R.free_chunks;
            R.free_chunks = fresh->next;
            break;
        }
        if (R.chunks_out < MAX_QUEUED_CHUNKS) {
            fresh = malloc(sizeof(chunk));
            if (fresh) {
                R.chunks_out++;
                break;
            }
        }
        pthread_cond_wait(&R.cv, &R.mu);
    }
    pthread_mutex_unlock(&R.mu);
    fresh->len = 0;
    R.cur = fresh;
}

static inline void ensure(size_t n) {
    if (R.cur->len + n > CHUNK_BYTES) hand_off_chunk();
}

static inline void put_byte(uint8_t b) {
    R.cur->data[R.cur->len++] = b;
}

static void put_varint_raw(uint64_t v) {
    uint8_t* p = R.cur->data + R.cur->len;
    while (v >= 0x80) {
        *p++ = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    *p++ = (uint8_t)v;
    R.cur->len = (size_t)(p - R.cur->data);
}

static inline void put_addr(const void* addr) {
    /* Objects are 8-aligned: the delta in words, zigzag-encoded. */
    uint64_t a = (uint64_t)(uintptr_t)addr >> 3;
    int64_t d = (int64_t)(a - R.last_addr);
    R.last_addr = a;
    put_varint_raw(((uint64_t)d << 1) ^ (uint64_t)(d >> 63));
}

static void put_time_at(uint64_t t) {
    put_byte(OP_TIME);
    put_varint_raw(t - R.start_ns);
}

static void put_time(void) {
    put_time_at(now_ns());
}

/* A limit closes the window (from the writer thread or a hook). */
static void close_window(int reason) {
    if (!atomic_load(&R.active)) return;
    atomic_store(&R.closed_ns, now_ns());
    atomic_store(&R.end_reason, reason);
    atomic_store(&R.active, 0);
}

/* ------------------------------------------------------------ hash sets */

/* Open addressing, linear probing, backward-shift deletion; key 0 = empty.
   Memory from libc: the hooks must not allocate Python objects. */
typedef struct {
    uintptr_t* keys;
    uint32_t* vals;
    size_t cap, count;
} addr_table;

static inline size_t slot_of(const addr_table* t, uintptr_t k) {
    return (size_t)(((uint64_t)(k >> 3) * 0x9E3779B97F4A7C15ull) >> 20) & (t->cap - 1);
}

static int table_grow(addr_table* t) {
    size_t ncap = t->cap ? t->cap * 2 : 1024;
    uintptr_t* nk = calloc(ncap, sizeof *nk);
    uint32_t* nv = calloc(ncap, sizeof *nv);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return -1;
    }
    addr_table n = {nk, nv, ncap, 0};
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->keys[i]) continue;
        size_t s = slot_of(&n, t->keys[i]);
        while (n.keys[s]) s = (s + 1) & (ncap - 1);
        n.keys[s] = t->keys[i];
        n.vals[s] = t->vals[i];
        n.count++;
    }
    free(t->keys);
    free(t->vals);
    *t = n;
    return 0;
}

static uint32_t* table_find(const addr_table* t, uintptr_t k) {
    if (!t->count) return NULL;
    size_t s = slot_of(t, k);
    while (t->keys[s]) {
        if (t->keys[s] == k) return &t->vals[s];
        s = (s + 1) & (t->cap - 1);
    }
    return NULL;
}

static int table_put(addr_table* t, uintptr_t k, uint32_t v) {
    if ((t->count + 1) * 2 > t->cap && table_grow(t) < 0) return -1;
    size_t s = slot_of(t, k);
    while (t->keys[s]) {
        if (t->keys[s] == k) {
            t->vals[s] = v;
            return 0;
        }
        s = (s + 1) & (t->cap - 1);
    }
    t->keys[s] = k;
    t->vals[s] = v;
    t->count++;
    return 0;
}

static int table_remove(addr_table* t, uintptr_t k) {
    if (!t->count) return 0;
    size_t mask = t->cap - 1, s = slot_of(t, k);
    while (t->keys[s] != k) {
        if (!t->keys[s]) return 0;
        s = (s + 1) & mask;
    }
    /* backward-shift: keep every probe chain unbroken */
    size_t hole = s;
    for (size_t j = (s + 1) & mask; t->keys[j]; j = (j + 1) & mask) {
        size_t home = slot_of(t, t->keys[j]);
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            t->keys[hole] = t->keys[j];
            t->vals[hole] = t->vals[j];
            hole = j;
        }
    }
    t->keys[hole] = 0;
    t->count--;
    return 1;
}

static void table_free(addr_table* t) {
    free(t->keys);
    free(t->vals);
    memset(t, 0, sizeof *t);
}

/* ---------------------------------------------------------------- types */

static addr_table types;  /* type object -> type id */
static uint32_t next_tid; /* ids are never reused within a recording */
static int hooks_failed;  /* a libc allocation failed inside a hook */

static uint32_t type_id(PyTypeObject* tp) {
    uint32_t* v = table_find(&types, (uintptr_t)tp);
    if (v) return *v;
    uint32_t tid = ++next_tid;
    if (table_put(&types, (uintptr_t)tp, tid) < 0) hooks_failed = 1;
    unsigned long f = tp->tp_flags;
    uint64_t flags = 0;
    if (f & Py_TPFLAGS_HAVE_GC) flags |= TF_GC;
    if (tp->tp_finalize) flags |= TF_FINALIZER;
    if (tp->tp_del) flags |= TF_LEGACY_FINALIZER;
    if (tp->tp_weaklistoffset) flags |= TF_WEAKREFABLE;
    if (f & Py_TPFLAGS_HEAPTYPE) flags |= TF_HEAPTYPE;
    if (f & Py_TPFLAGS_MANAGED_DICT) flags |= TF_MANAGED_DICT;
    if (f & Py_TPFLAGS_TYPE_SUBCLASS) flags |= TF_TYPE;
    const char* name = tp->tp_name ? tp->tp_name : "?";
    size_t n = strlen(name);
    if (n > 200) n = 200;
    ensure(CHUNK_SLACK + n);
    put_byte(OP_TYPE);
    put_varint_raw(tid);
    put_varint_raw(flags);
    put_varint_raw((uint64_t)tp->tp_basicsize);
    put_varint_raw((uint64_t)tp->tp_itemsize);
    put_varint_raw(n);
    memcpy(R.cur->data + R.cur->len, name, n);
    R.cur->len += n;
    return tid;
}

/* ------------------------------------------------- collector state poll */

static struct _gc_runtime_state* gcstate(void) {
    return &PyInterpreterState_Get()->gc;
}

static int seen_threshold[3], seen_enabled;

static void poll_gcstate(void) {
    struct _gc_runtime_state* g = gcstate();
    if (g->generations[0].threshold == seen_threshold[0] &&
        g->generations[1].threshold == seen_threshold[1] &&
        g->generations[2].threshold == seen_threshold[2] && g->enabled == seen_enabled)
        return;
    for (int i = 0; i < 3; i++) seen_threshold[i] = g->generations[i].threshold;
    seen_enabled = g->enabled;
    ensure(CHUNK_SLACK);
    put_byte(OP_GCSTATE);
    for (int i = 0; i < 3; i++) put_varint_raw((uint64_t)seen_threshold[i]);
    put_varint_raw((uint64_t)seen_enabled);
}

/* ------------------------------------------- allocation and death hooks */

/* Object-domain allocations not yet claimed by a creation. A GC object's
   block starts 16 (GC header) or 32 (GC header + managed-dict pre-header)
   bytes before the object. A collection can run between the allocation and
   the creation (3.11: inside _PyObject_GC_Link), hence a small stack. */
#define PENDING_MAX 16
static struct {
    uintptr_t block, moved_from;
    uint64_t epoch;
} pending[PENDING_MAX];
static int npending;
static uint64_t collect_epoch; /* collections started in this window */

/* Every GC object whose memory the recorder knows: created in the window,
   or tracked (or referenced by a tracked object) when it opened. A return
   of object memory is recorded (FREED) when it holds one of them. The
   eval loop of 3.11/3.12 calls tp_dealloc directly (ceval.c redefines
   Py_DECREF), so many deaths are only seen as that return of memory, or, for
   a free-list type, as the reuse of the address. */
static addr_table live;

static inline int is_gc_type(PyTypeObject* tp) {
    return (tp->tp_flags & Py_TPFLAGS_HAVE_GC) != 0;
}

#ifdef HSR_DEBUG_COUNTS
static struct _gc_runtime_state* gcstate(void);
#define DEBUG_COUNT()                                              \
    do {                                                           \
        ensure(CHUNK_SLACK);                                       \
        put_byte(0x7F);                                            \
        put_varint_raw((uint64_t)gcstate()->generations[0].count); \
    } while (0)
#else
#define DEBUG_COUNT() ((void)0)
#endif

static void young_snapshot(void);

static void record_new(PyObject* op) {
    if (!is_gc_type(Py_TYPE(op))) return;
    /* A threshold or enabled change made since the previous GC allocation
       already applied when this one was counted (_PyObject_GC_Link runs
       before _Py_NewReference): it goes first. */
    poll_gcstate();
    uint32_t tid = type_id(Py_TYPE(op));
    uintptr_t a = (uintptr_t)op;
    int op_code = OP_NEW_REUSED;
    uintptr_t from = 0;
    for (int i = npending - 1; i >= 0; i--) {
        uintptr_t off = a - pending[i].block;
        if (off == 16 || off == 32) {
            op_code = pending[i].epoch == collect_epoch ? OP_NEW_FRESH : OP_NEW_EARLY;
            if (pending[i].moved_from) from = pending[i].moved_from + off;
            memmove(&pending[i], &pending[i + 1], (size_t)(npending - i - 1) * sizeof pending[0]);
            npending--;
            break;
        }
    }
    if (table_put(&live, a, 0) < 0) hooks_failed = 1;
    ensure(CHUNK_SLACK);
    if (from) {
        table_remove(&live, from);
        put_byte(OP_MOVE);
        put_addr((void*)from);
        put_addr(op);
    } else {
        put_byte((uint8_t)op_code);
        put_addr(op);
        put_varint_raw(tid);
    }
    DEBUG_COUNT();
    if ((++R.events & 0xFFFF) == 0) {
        ensure(CHUNK_SLACK);
        put_time();
    }
    if (R.snapshot_every && ++R.since_snapshot >= R.snapshot_every) young_snapshot();
}

static void record_dealloc(PyObject* op) {
    PyTypeObject* tp = Py_TYPE(op);
    if (!is_gc_type(tp)) return;
    if (PyType_Check(op))
        table_remove(&types, (uintptr_t)op); /* its address may name a new type later */
    ensure(CHUNK_SLACK);
    put_byte(OP_DEALLOC);
    put_addr(op);
    R.events++;
}

static PyMemAllocatorEx orig_obj_alloc;

static inline void note_block(void* p, void* moved_from) {
    if (!p) return;
    /* A block cannot be pending twice: an older entry is stale (its free
       went through another domain's allocator, unseen). */
    for (int i = npending - 1; i >= 0; i--)
        if (pending[i].block == (uintptr_t)p) {
            memmove(&pending[i], &pending[i + 1], (size_t)(npending - i - 1) * sizeof pending[0]);
            npending--;
            break;
        }
    if (npending == PENDING_MAX) {
        /* The oldest block goes, except while a collection runs: then the
           oldest of the blocks allocated since it started, because one
           from before it may be the allocation that triggered it (3.11),
           whose creation comes after the collection (NEW_EARLY), and its
           callbacks and finalizers may allocate any number of blocks (many
           never claimed: non-GC objects). */
        int victim = 0;
        if (gcstate()->collecting)
            for (int i = 0; i < npending; i++)
                if (pending[i].epoch == collect_epoch) {
                    victim = i;
                    break;
                }
        memmove(&pending[victim], &pending[victim + 1],
                (size_t)(PENDING_MAX - victim - 1) * sizeof pending[0]);
        npending--;
    }
    pending[npending].block = (uintptr_t)p;
    pending[npending].moved_from = (uintptr_t)moved_from;
    pending[npending].epoch = collect_epoch;
    npending++;
}

static void* hook_malloc(void* ctx, size_t n) {
    void* p = orig_obj_alloc.malloc(orig_obj_alloc.ctx, n);
    if (atomic_load_explicit(&R.active, memory_order_relaxed)) note_block(p, NULL);
    return p;
}

static void* hook_calloc(void* ctx, size_t nelem, size_t elsize) {
    void* p = orig_obj_alloc.calloc(orig_obj_alloc.ctx, nelem, elsize);
    if (atomic_load_explicit(&R.active, memory_order_relaxed)) note_block(p, NULL);
    return p;
}

static void* hook_realloc(void* ctx, void* old, size_t n) {
    void* p = orig_obj_alloc.realloc(orig_obj_alloc.ctx, old, n);
    if (atomic_load_explicit(&R.active, memory_order_relaxed) && old) note_block(p, old);
    return p;
}

static void hook_free(void* ctx, void* p) {
    if (p && atomic_load_explicit(&R.active, memory_order_relaxed)) {
        /* A freed block is no longer pending: a later reuse of an object
           from a free list at the same place is not a fresh allocation. */
        for (int i = npending - 1; i >= 0; i--)
            if (pending[i].block == (uintptr_t)p) {
                memmove(&pending[i], &pending[i + 1],
                        (size_t)(npending - i - 1) * sizeof pending[0]);
                npending--;
                break;
            }
        /* A GC object's block starts 16 or 32 bytes before it; no other
           live GC object can start at those offsets (docs/recording.md). */
        uintptr_t b = (uintptr_t)p;
        uintptr_t obj = 0;
        if (table_remove(&live, b + 16))
            obj = b + 16;
        else if (table_remove(&live, b + 32))
            obj = b + 32;
        if (obj) {
            ensure(CHUNK_SLACK);
            put_byte(OP_FREED);
            put_addr((void*)obj);
            DEBUG_COUNT();
            R.events++;
        }
    }
    orig_obj_alloc.free(orig_obj_alloc.ctx, p);
}

static PyMemAllocatorEx hook_obj_alloc = {NULL, hook_malloc, hook_calloc, hook_realloc, hook_free};

/* ------------------------------------------------ creation/death sources */

#if HSR_REFTRACER

static int ref_tracer(PyObject* op, PyRefTracerEvent event, void* data) {
    if (!atomic_load_explicit(&R.active, memory_order_relaxed)) return 0;
    if (event == PyRefTracer_CREATE)
        record_new(op);
    else
        record_dealloc(op);
    return 0;
}

static const char* install_object_hooks(void) {
    if (PyRefTracer_SetTracer(ref_tracer, NULL) < 0) return "PyRefTracer_SetTracer failed";
    return NULL;
}

static void remove_object_hooks(void) {
    PyRefTracer_SetTracer(NULL, NULL);
}

static const char* check_support(void) {
    /* 3.13.0-3.13.2 miss destructions; an earlier 3.14 running a build
       against 3.14.5+ headers (same minor) has another collector state. */
    return hsr_version_refusal(Py_Version, getenv("HEAPSIM_RECORD_ALLOW_EARLY_313") != NULL);
}

#else /* 3.11, 3.12: interpose through the GOT */

typedef void (*object_fn)(PyObject*);
typedef void* (*dlopen_fn)(const char*, int);
static object_fn real_dealloc, real_new_reference, real_new_reference_no_total;
static dlopen_fn real_dlopen;

static void hook_dealloc(PyObject* op) {
    if (atomic_load_explicit(&R.active, memory_order_relaxed)) record_dealloc(op);
    real_dealloc(op);
}

static void hook_new_reference(PyObject* op) {
    real_new_reference(op);
    if (atomic_load_explicit(&R.active, memory_order_relaxed)) record_new(op);
}

static void hook_new_reference_no_total(PyObject* op) {
    real_new_reference_no_total(op);
    if (atomic_load_explicit(&R.active, memory_order_relaxed)) record_new(op);
}

static void* hook_dlopen(const char* file, int flags);

typedef struct {
    const char* name;
    void* hook;
} got_hook;

static got_hook got_hooks[4];
static int n_got_hooks;

typedef struct {
    void** slot;
    void* old;
} patched_slot;

static patched_slot* patched;
static size_t npatched, cap_patched;
static uintptr_t self_base, python_base;
static int python_slots_dealloc, python_slots_new;
static int patch_failed;

static uintptr_t dyn_ptr(uintptr_t p, uintptr_t base) {
    return p < base ? p + base : p;
}

static void patch_slot(void** slot, void* hook) {
    if (*slot == hook) return;
    for (size_t i = 0; i < npatched; i++)
        if (patched[i].slot == slot) {
            *slot = hook;
            return;
        }
    long page = sysconf(_SC_PAGESIZE);
    void* pg = (void*)((uintptr_t)slot & ~(uintptr_t)(page - 1));
    if (mprotect(pg, (size_t)page, PROT_READ | PROT_WRITE) != 0) {
        patch_failed = 1;
        return;
    }
    if (npatched == cap_patched) {
        size_t n = cap_patched ? cap_patched * 2 : 64;
        patched_slot* np = realloc(patched, n * sizeof *np);
        if (!np) {
            patch_failed = 1;
            return;
        }
        patched = np;
        cap_patched = n;
    }
    patched[npatched].slot = slot;
    patched[npatched].old = *slot;
    npatched++;
    *slot = hook;
}

#if defined(__x86_64__)
#define R_JUMP_SLOT R_X86_64_JUMP_SLOT
#define R_GLOB_DAT R_X86_64_GLOB_DAT
#elif defined(__aarch64__)
#define R_JUMP_SLOT R_AARCH64_JUMP_SLOT
#define R_GLOB_DAT R_AARCH64_GLOB_DAT
#else
#error "heapsim_record: GOT interposition is implemented for x86-64 and AArch64 only"
#endif

static void patch_relocs(uintptr_t base, const ElfW(Rela) * rel, size_t bytes,
                         const ElfW(Sym) * symtab, const char* strtab, int is_python) {
    for (size_t i = 0; i < bytes / sizeof *rel; i++) {
        unsigned type = (unsigned)ELF64_R_TYPE(rel[i].r_info);
        if (type != R_JUMP_SLOT && type != R_GLOB_DAT) continue;
        const char* name = strtab + symtab[ELF64_R_SYM(rel[i].r_info)].st_name;
        if (name[0] != '_' && name[0] != 'd') continue;
        for (int h = 0; h < n_got_hooks; h++) {
            if (strcmp(name, got_hooks[h].name) != 0) continue;
            patch_slot((void**)(base + rel[i].r_offset), got_hooks[h].hook);
            if (is_python && got_hooks[h].hook == (void*)hook_dealloc) python_slots_dealloc++;
            if (is_python && got_hooks[h].hook == (void*)hook_new_reference) python_slots_new++;
        }
    }
}

static int patch_object(struct dl_phdr_info* info, size_t size, void* data) {
    uintptr_t base = info->dlpi_addr;
    if (base == self_base) return 0; /* our own calls need no hook */
    const ElfW(Dyn)* dyn = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
            dyn = (const ElfW(Dyn)*)(base + info->dlpi_phdr[i].p_vaddr);
    if (!dyn) return 0;
    const ElfW(Sym)* symtab = NULL;
    const char* strtab = NULL;
    const ElfW(Rela)* jmprel = NULL, *rela = NULL;
    size_t pltrelsz = 0, relasz = 0;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        switch (dyn->d_tag) {
            case DT_SYMTAB:
                symtab = (const ElfW(Sym)*)dyn_ptr(dyn->d_un.d_ptr, base);
                break;
            case DT_STRTAB:
                strtab = (const char*)dyn_ptr(dyn->d_un.d_ptr, base);
                break;
            case DT_JMPREL:
                jmprel = (const ElfW(Rela)*)dyn_ptr(dyn->d_un.d_ptr, base);
                break;
            case DT_PLTRELSZ:
                pltrelsz = dyn->d_un.d_val;
                break;
            case DT_RELA:
                rela = (const ElfW(Rela)*)dyn_ptr(dyn->d_un.d_ptr, base);
                break;
            case DT_RELASZ:
                relasz = dyn->d_un.d_val;
                break;
        }
    }
    if (!symtab || !strtab) return 0;
    int is_python = base == python_base;
    if (jmprel) patch_relocs(base, jmprel, pltrelsz, symtab, strtab, is_python);
    if (rela) patch_relocs(base, rela, relasz, symtab, strtab, is_python);
    return 0;
}

static void* hook_dlopen(const char* file, int flags) {
    void* h = real_dlopen(file, flags);
    /* An extension module loaded during the window calls Py_DECREF too. */
    if (h && npatched) dl_iterate_phdr(patch_object, NULL);
    return h;
}

static const char* install_object_hooks(void) {
    python_slots_dealloc = python_slots_new = 0;
    dl_iterate_phdr(patch_object, NULL);
    if (patch_failed) return "could not make a GOT page writable (mprotect)";
    if (!python_slots_dealloc || !python_slots_new)
        return "libpython's own calls of _Py_Dealloc/_Py_NewReference do not go through its PLT "
               "(static or -fno-semantic-interposition build); recording 3.11/3.12 needs a shared "
               "libpython such as pyenv's, or CPython 3.13.3+";
    return NULL;
}

static void remove_object_hooks(void) {
    for (size_t i = npatched; i-- > 0;) *patched[i].slot = patched[i].old;
    npatched = 0;
}

static const char* check_support(void) {
    real_dealloc = (object_fn)dlsym(RTLD_DEFAULT, "_Py_Dealloc");
    real_new_reference = (object_fn)dlsym(RTLD_DEFAULT, "_Py_NewReference");
    real_new_reference_no_total = (object_fn)dlsym(RTLD_DEFAULT, "_Py_NewReferenceNoTotal");
    real_dlopen = (dlopen_fn)dlsym(RTLD_DEFAULT, "dlopen");
    if (!real_dealloc || !real_new_reference || !real_dlopen)
        return "_Py_Dealloc/_Py_NewReference are not exported by this interpreter";
    Dl_info di;
    if (!dladdr((void*)real_dealloc, &di)) return "cannot locate libpython (dladdr)";
    python_base = (uintptr_t)di.dli_fbase;
    Dl_info self;
    if (dladdr((void*)check_support, &self)) self_base = (uintptr_t)self.dli_fbase;
    n_got_hooks = 0;
    got_hooks[n_got_hooks++] = (got_hook){"_Py_Dealloc", (void*)hook_dealloc};
    got_hooks[n_got_hooks++] = (got_hook){"_Py_NewReference", (void*)hook_new_reference};
    if (real_new_reference_no_total)
        got_hooks[n_got_hooks++] =
            (got_hook){"_Py_NewReferenceNoTotal", (void*)hook_new_reference_no_total};
    got_hooks[n_got_hooks++] = (got_hook){"dlopen", (void*)hook_dlopen};
    return NULL;
}

#endif /* HSR_REFTRACER */

/* ------------------------------------------------------------ collections */

static uintptr_t* scratch_refs;
static size_t n_scratch, cap_scratch;

static int visit_ref(PyObject* o, void* arg) {
    if (n_scratch == cap_scratch) {
        size_t n = cap_scratch ? cap_scratch * 2 : 256;
        uintptr_t* p = realloc(scratch_refs, n * sizeof *p);
        if (!p) {
            hooks_failed = 1;
            return 0;
        }
        scratch_refs = p;
        cap_scratch = n;
    }
    scratch_refs[n_scratch++] = (uintptr_t)o;
    return 0;
}

#define GC_NEXT(g) ((PyGC_Head*)(g)->_gc_next)
#define FROM_GC(g) ((PyObject*)((PyGC_Head*)(g) + 1))

/* Every object of generations 0..gen, in list order, with its reference
   count, finalized bit and referents: what the collection will examine. */
static uint64_t prepare_snapshot(int gen) {
    struct _gc_runtime_state* g = gcstate();
    uint64_t n = 0;
    for (int i = 0; i <= gen; i++) {
        PyGC_Head* head = &g->generations[i].head;
        for (PyGC_Head* p = GC_NEXT(head); p != head; p = GC_NEXT(p)) {
            type_id(Py_TYPE(FROM_GC(p))); /* TYPE records go before the snapshot */
            n++;
        }
    }
    return n;
}

static void write_snapshot(int gen, uint64_t n) {
    struct _gc_runtime_state* g = gcstate();
    R.snapshots++;
    R.snapshot_objects += n;
    ensure(CHUNK_SLACK);
    put_varint_raw(n);
    for (int i = 0; i <= gen; i++) {
        PyGC_Head* head = &g->generations[i].head;
        for (PyGC_Head* p = GC_NEXT(head); p != head; p = GC_NEXT(p)) {
            PyObject* op = FROM_GC(p);
            uint32_t tid = type_id(Py_TYPE(op));
            n_scratch = 0;
            traverseproc trav = Py_TYPE(op)->tp_traverse;
            if (trav) trav(op, visit_ref, NULL);
            ensure(CHUNK_SLACK);
            put_addr(op);
            put_varint_raw(tid);
            put_varint_raw((uint64_t)Py_REFCNT(op));
            put_varint_raw(
                (uint64_t)((p->_gc_prev & 1) | ((uint64_t)i << 1))); /* finalized, generation */
            put_varint_raw(n_scratch);
            for (size_t r = 0; r < n_scratch; r++) {
                ensure(CHUNK_SLACK);
                put_addr((void*)scratch_refs[r]);
            }
        }
    }
}

/* snapshot_every: the young generation as a collection of it would see it
   now, so that a replay under other thresholds knows the references of
   recent objects (docs/recording.md, "what-if"). Taken inside a GC
   allocation, where 3.11 itself may collect; never during a collection. */
static void young_snapshot(void) {
    struct _gc_runtime_state* g = gcstate();
    R.since_snapshot = 0;
    if (g->collecting) return;
    uint64_t n = prepare_snapshot(0);
    ensure(CHUNK_SLACK);
    put_byte(OP_SNAPSHOT);
    put_varint_raw(0);
    put_varint_raw(0);
    for (int i = 0; i < 3; i++) put_varint_raw((uint64_t)g->generations[i].count);
    write_snapshot(0, n);
}

/* After a collection's snapshot: every weak reference to an object of the
   generations it collects, with its referent and whether it has a
   callback. The collection's weakref step (handle_weakrefs, cpython-gc.md
   5.5) walks exactly these lists for the unreachable objects: it calls the
   callback of each weakref that is not garbage itself, and counts one that
   its callback leaves without references as collected. The importer needs
   to know which dying objects those weakrefs are (docs/recording.md,
   "Finalizers and weakref callbacks"). */
static void write_weakrefs(int gen) {
    struct _gc_runtime_state* g = gcstate();
    for (int i = 0; i <= gen; i++) {
        PyGC_Head* head = &g->generations[i].head;
        for (PyGC_Head* p = GC_NEXT(head); p != head; p = GC_NEXT(p)) {
            PyObject* op = FROM_GC(p);
            PyTypeObject* tp = Py_TYPE(op);
            /* _PyObject_GET_WEAKREFS_LISTPTR without its static-builtin-type
               case: static types are never in a generation list. A managed
               weakref slot (3.12+) has a negative offset, into the
               pre-header. */
            if (tp->tp_weaklistoffset == 0) continue;
            if (PyType_Check(op) && !(((PyTypeObject*)op)->tp_flags & Py_TPFLAGS_HEAPTYPE))
                continue;
            PyWeakReference* wr = *(PyWeakReference**)((char*)op + tp->tp_weaklistoffset);
            for (; wr; wr = wr->wr_next) {
                ensure(CHUNK_SLACK);
                put_byte(OP_WEAKREF);
                put_addr(wr);
                put_addr(op);
                put_varint_raw(wr->wr_callback ? WF_CALLBACK : 0);
                R.weakrefs++;
            }
        }
    }
}

static PyObject *key_generation, *key_collected, *key_uncollectable;
static int explicit_collect; /* inside our gc.collect wrapper */
static PyObject *orig_gc_collect, *gc_module, *gc_callbacks, *our_callback, *our_callback_last,
    *our_collect;
static PyObject *orig_gc_freeze, *orig_gc_unfreeze, *our_freeze, *our_unfreeze;

/* The collector's long-lived counts: a full collection (automatic) runs
   only when long_lived_pending >= long_lived_total / 4 (gc.c
   gc_collect_generations, cpython-gc.md). Written when the window opens
   and before every collection, so a replay can start from them. */
static void put_long_lived(void) {
    struct _gc_runtime_state* g = gcstate();
    ensure(CHUNK_SLACK);
    put_byte(OP_LONG_LIVED);
    put_varint_raw((uint64_t)(g->long_lived_total < 0 ? 0 : g->long_lived_total));
    put_varint_raw((uint64_t)(g->long_lived_pending < 0 ? 0 : g->long_lived_pending));
}

static long dict_long(PyObject* info, PyObject* key) {
    PyObject* v = PyDict_GetItemWithError(info, key); /* borrowed; no allocation */
    return v ? PyLong_AsLong(v) : -1;
}

/* Two callbacks: the first of gc.callbacks records each collection's
   result as soon as it is known; the last records the snapshot and counts of
   the start phase after every other start callback ran (their allocations
   are counted before the collection resets count0). */
static int parse_callback_args(PyObject* const* args, Py_ssize_t nargs, int* start, long* gen) {
    if (nargs != 2 || !atomic_load_explicit(&R.active, memory_order_relaxed)) return 0;
    PyObject *phase = args[0], *info = args[1];
    if (!PyUnicode_Check(phase) || PyUnicode_GET_LENGTH(phase) < 3 || !PyDict_Check(info)) return 0;
    *start = PyUnicode_READ_CHAR(phase, 2) == 'a'; /* "start" / "stop" */
    *gen = dict_long(info, key_generation);
    if (*gen < 0 || *gen > 2) {
        PyErr_Clear();
        return 0;
    }
    return 1;
}

static void check_deadline(void) {
    if (R.deadline_ns && now_ns() >= R.deadline_ns) close_window(END_MAX_SECONDS);
}

static PyObject* gc_callback_first(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
    int start;
    long gen;
    if (!parse_callback_args(args, nargs, &start, &gen)) Py_RETURN_NONE;
    if (start) {
        /* Keep the other callback last: a program may have appended one. */
        Py_ssize_t n = PyList_GET_SIZE(gc_callbacks);
        if (n && PyList_GET_ITEM(gc_callbacks, n - 1) != our_callback_last) {
            Py_ssize_t i = PySequence_Index(gc_callbacks, our_callback_last);
            if (i < 0) {
                PyErr_Clear();
            } else {
                Py_INCREF(our_callback_last);
                PySequence_DelItem(gc_callbacks, i);
                PyList_Append(gc_callbacks, our_callback_last);
                Py_DECREF(our_callback_last);
            }
        }
        Py_RETURN_NONE;
    }
    PyObject* info = args[1];
    long collected = dict_long(info, key_collected),
         uncollectable = dict_long(info, key_uncollectable);
    ensure(CHUNK_SLACK);
    put_byte(OP_COLLECT_STOP);
    put_varint_raw((uint64_t)gen);
    put_varint_raw((uint64_t)(collected < 0 ? 0 : collected));
    put_varint_raw((uint64_t)(uncollectable < 0 ? 0 : uncollectable));
    R.events++;
    check_deadline();
    Py_RETURN_NONE;
}

static PyObject* gc_callback_last(PyObject* self, PyObject* const* args, Py_ssize_t nargs) {
    int start;
    long gen;
    if (!parse_callback_args(args, nargs, &start, &gen) || !start) Py_RETURN_NONE;
    struct _gc_runtime_state* g = gcstate();
    poll_gcstate();
    uint64_t n = prepare_snapshot((int)gen);
    put_long_lived();
    ensure(CHUNK_SLACK);
    put_time();
    put_byte(OP_COLLECT_START);
    put_varint_raw((uint64_t)gen);
    put_varint_raw((uint64_t)explicit_collect);
    for (int i = 0; i < 3; i++) put_varint_raw((uint64_t)g->generations[i].count);
    write_snapshot((int)gen, n);
    write_weakrefs((int)gen);
    R.since_snapshot = 0;
    explicit_collect = 0;
    collect_epoch++;
    R.events++;
    Py_RETURN_NONE;
}

/* gc.collect while recording: marks the next collection as explicit. */
static PyObject* gc_collect_wrapper(PyObject* self, PyObject* const* args, Py_ssize_t nargs,
                                    PyObject* kwnames) {
    explicit_collect = 1;
    PyObject* r = PyObject_Vectorcall(orig_gc_collect, args, (size_t)nargs, kwnames);
    explicit_collect = 0;
    return r;
}

/* gc.freeze / gc.unfreeze while recording: each moves whole generations
   (into or out of the permanent one) and resets counts; the record follows
   the call with the counts it left. Neither allocates. */
static PyObject* freeze_wrapper(PyObject* orig, int op) {
    PyObject* r = PyObject_CallNoArgs(orig);
    if (r && atomic_load_explicit(&R.active, memory_order_relaxed)) {
        struct _gc_runtime_state* g = gcstate();
        ensure(CHUNK_SLACK);
        put_byte((uint8_t)op);
        for (int i = 0; i < 3; i++) put_varint_raw((uint64_t)g->generations[i].count);
        R.events++;
    }
    return r;
}

static PyObject* gc_freeze_wrapper(PyObject* self, PyObject* unused) {
    return freeze_wrapper(orig_gc_freeze, OP_FREEZE);
}

static PyObject* gc_unfreeze_wrapper(PyObject* self, PyObject* unused) {
    return freeze_wrapper(orig_gc_unfreeze, OP_UNFREEZE);
}

/* ------------------------------------------------------------ the writer */

static int write_out(const void* p, size_t n) {
    if (n && fwrite(p, 1, n, R.file) != n) return -1;
    R.written_bytes += n;
    return 0;
}

static int compress_chunk(const uint8_t* data, size_t len, ZSTD_EndDirective end) {
    static uint8_t out[1 << 17];
    ZSTD_inBuffer in = {data, len, 0};
    for (;;) {
        ZSTD_outBuffer ob = {out, sizeof out, 0};
        size_t rem = ZSTD_compressStream2(R.zc, &ob, &in, end);
        if (ZSTD_isError(rem)) return -1;
        if (write_out(out, ob.pos) < 0) return -1;
        if (end == ZSTD_e_end ? rem == 0 : in.pos == in.size) return 0;
    }
}

static void* writer_main(void* arg) {
    pthread_mutex_lock(&R.mu);
    for (;;) {
        while (!R.queue_head && !R.closing) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 100000000;
            if (ts.tv_nsec >= 1000000000) ts.tv_sec++, ts.tv_nsec -= 1000000000;
            pthread_cond_timedwait(&R.cv, &R.mu, &ts);
            /* The maximum window: the hooks stop recording; stop() or exit
               closes the file. */
            if (R.deadline_ns && now_ns() >= R.deadline_ns) close_window(END_MAX_SECONDS);
        }
        chunk* c = R.queue_head;
        if (!c) break; /* closing and drained */
        R.queue_head = c->next;
        if (!R.queue_head) R.queue_tail = NULL;
        pthread_mutex_unlock(&R.mu);
        int final = R.closing && !c->next;
        if (!R.write_error && compress_chunk(c->data, c->len, ZSTD_e_continue) < 0)
            R.write_error = 1;
        R.raw_bytes += c->len;
        if (R.max_bytes && R.written_bytes >= R.max_bytes) close_window(END_MAX_BYTES);
        (void) final;
        pthread_mutex_lock(&R.mu);
        c->next = R.free_chunks;
        R.free_chunks = c;
        pthread_cond_broadcast(&R.cv);
    }
    pthread_mutex_unlock(&R.mu);
    if (!R.write_error && compress_chunk(NULL, 0, ZSTD_e_end) < 0) R.write_error = 1;
    return NULL;
}

/* ---------------------------------------------------------- start / stop */

/* Work list of the seeding walk (libc memory; before the window opens). */
static uintptr_t* seed_stack;
static size_t n_seed, cap_seed;

static void seed_add(PyObject* o) {
    if (!o || !PyObject_IS_GC(o) || table_find(&live, (uintptr_t)o))
        return; /* static types: not GC */
    if (table_put(&live, (uintptr_t)o, 0) < 0) hooks_failed = 1;
    if (n_seed == cap_seed) {
        size_t n = cap_seed ? cap_seed * 2 : 4096;
        uintptr_t* p = realloc(seed_stack, n * sizeof *p);
        if (!p) {
            hooks_failed = 1;
            return;
        }
        seed_stack = p;
        cap_seed = n;
    }
    seed_stack[n_seed++] = (uintptr_t)o;
}

static int seed_visit(PyObject* o, void* arg) {
    seed_add(o);
    return 0;
}

/* The GC objects that exist when the window opens, so that their deaths
   in the window are recognised: every tracked object and, transitively,
   the GC objects they refer to (untracked tuples and dicts included).
   Untracked objects held only by frames or C variables stay unknown: their
   frees are missed (docs/recording.md, "what is exact"). Frame locals are
   not walked: the internal frame layout is not stable enough to read
   safely (3.12's running frames hold stale slots). */
static void seed_live(void) {
    struct _gc_runtime_state* g = gcstate();
    PyGC_Head* heads[4] = {&g->generations[0].head, &g->generations[1].head,
                           &g->generations[2].head, &g->permanent_generation.head};
    n_seed = 0;
    for (int i = 0; i < 4; i++)
        for (PyGC_Head* p = GC_NEXT(heads[i]); p != heads[i]; p = GC_NEXT(p)) seed_add(FROM_GC(p));
    while (n_seed) {
        PyObject* op = (PyObject*)seed_stack[--n_seed];
        traverseproc trav = Py_TYPE(op)->tp_traverse;
        if (trav) trav(op, seed_visit, NULL);
    }
    free(seed_stack);
    seed_stack = NULL;
    cap_seed = 0;
}

static int recording; /* between start() and stop(), even after the window closed */
static PyObject* last_error_message;

static void free_chunks(void) {
    while (R.free_chunks) {
        chunk* c = R.free_chunks;
        R.free_chunks = c->next;
        free(c);
    }
    R.chunks_out = 0;
}

static void put_string(const char* s) {
    size_t n = strlen(s);
    put_varint_raw(n);
    memcpy(R.cur->data + R.cur->len, s, n);
    R.cur->len += n;
}

static PyObject* rec_start(PyObject* self, PyObject* args, PyObject* kw) {
    static char* kwlist[] = {"path", "max_seconds", "max_bytes", "level", "snapshot_every", NULL};
    PyObject* path_obj;
    double max_seconds = 0;
    unsigned long long max_bytes = 0, snapshot_every = 0;
    int level = 3;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|dKiK", kwlist, PyUnicode_FSConverter,
                                     &path_obj, &max_seconds, &max_bytes, &level,
                                     &snapshot_every))
        return NULL;
    if (recording) {
        Py_DECREF(path_obj);
        PyErr_SetString(PyExc_RuntimeError, "heapsim_record: a recording is already running");
        return NULL;
    }
    const char* why = check_support();
    if (why) {
        Py_DECREF(path_obj);
        PyErr_Format(PyExc_RuntimeError, "heapsim_record: cannot record this interpreter: %s", why);
        return NULL;
    }
    const char* path = PyBytes_AS_STRING(path_obj);
    size_t plen = strlen(path);
    R.path = malloc(plen + 1);
    R.tmp_path = malloc(plen + 16);
    if (!R.path || !R.tmp_path) {
        Py_DECREF(path_obj);
        return PyErr_NoMemory();
    }
    memcpy(R.path, path, plen + 1);
    snprintf(R.tmp_path, plen + 16, "%s.partial", path);
    Py_DECREF(path_obj);
    R.file = fopen(R.tmp_path, "wb");
    if (!R.file) {
        PyErr_Format(PyExc_OSError, "heapsim_record: %s: %s", R.tmp_path, strerror(errno));
        return NULL;
    }
    R.zc = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(R.zc, ZSTD_c_compressionLevel, level);
    R.level = level;

    /* Everything the callbacks need exists before the window opens. */
    PyObject* gc = PyImport_ImportModule("gc");
    if (!gc) return NULL;
    gc_module = gc;
    gc_callbacks = PyObject_GetAttrString(gc, "callbacks");
    orig_gc_collect = PyObject_GetAttrString(gc, "collect");
    orig_gc_freeze = PyObject_GetAttrString(gc, "freeze");
    orig_gc_unfreeze = PyObject_GetAttrString(gc, "unfreeze");
    if (!gc_callbacks || !orig_gc_collect || !orig_gc_freeze || !orig_gc_unfreeze) return NULL;
    if (PyList_Insert(gc_callbacks, 0, our_callback) < 0 ||
        PyList_Append(gc_callbacks, our_callback_last) < 0)
        return NULL;
    if (PyObject_SetAttrString(gc, "collect", our_collect) < 0 ||
        PyObject_SetAttrString(gc, "freeze", our_freeze) < 0 ||
        PyObject_SetAttrString(gc, "unfreeze", our_unfreeze) < 0)
        return NULL;

    R.queue_head = R.queue_tail = NULL;
    R.closing = 0;
    R.write_error = 0;
    R.raw_bytes = R.written_bytes = 0;
    R.events = 0;
    R.snapshots = R.snapshot_objects = R.weakrefs = 0;
    R.last_addr = 0;
    R.max_bytes = max_bytes;
    R.snapshot_every = snapshot_every;
    R.since_snapshot = 0;
    atomic_store(&R.end_reason, END_STOP);
    atomic_store(&R.closed_ns, 0);
    R.cur = malloc(sizeof(chunk));
    if (!R.cur) return PyErr_NoMemory();
    R.chunks_out = 1;
    R.cur->len = 0;
    R.start_ns = now_ns();
    R.deadline_ns = max_seconds > 0 ? R.start_ns + (uint64_t)(max_seconds * 1e9) : 0;
    next_tid = 0;
    npending = 0;
    collect_epoch = 0;

    /* Header. */
    struct _gc_runtime_state* g = gcstate();
    memcpy(R.cur->data, HSR_MAGIC, 8);
    R.cur->len = 8;
    put_varint_raw(HSR_FORMAT_VERSION);
    char interp[160];
    snprintf(interp, sizeof interp, "cpython %d.%d.%d%s%s", (int)((Py_Version >> 24) & 0xff),
             (int)((Py_Version >> 16) & 0xff), (int)((Py_Version >> 8) & 0xff),
             ((Py_Version >> 4) & 0xf) != 0xf ? " prerelease" : "",
             HSR_REFTRACER ? " reftracer" : " got");
    put_string(interp);
    put_varint_raw((uint64_t)Py_Version);
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    put_varint_raw((uint64_t)wall.tv_sec * 1000000000u + (uint64_t)wall.tv_nsec);
    put_varint_raw(sizeof(PyGC_Head));
    for (int i = 0; i < 3; i++) seen_threshold[i] = g->generations[i].threshold;
    seen_enabled = g->enabled;
    for (int i = 0; i < 3; i++) put_varint_raw((uint64_t)seen_threshold[i]);
    put_varint_raw((uint64_t)seen_enabled);
    for (int i = 0; i < 3; i++) put_varint_raw((uint64_t)g->generations[i].count);
    put_time();
    put_long_lived();

    if (pthread_create(&R.writer, NULL, writer_main, NULL) != 0) {
        PyErr_SetString(PyExc_OSError, "heapsim_record: cannot start the writer thread");
        return NULL;
    }
    seed_live();
    PyMem_GetAllocator(PYMEM_DOMAIN_OBJ, &orig_obj_alloc);
    PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &hook_obj_alloc);
    const char* err = install_object_hooks();
    if (err) {
        PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &orig_obj_alloc);
        remove_object_hooks();
        pthread_mutex_lock(&R.mu);
        R.closing = 1;
        pthread_cond_broadcast(&R.cv);
        pthread_mutex_unlock(&R.mu);
        pthread_join(R.writer, NULL);
        fclose(R.file);
        unlink(R.tmp_path);
        PyErr_Format(PyExc_RuntimeError, "heapsim_record: cannot record this interpreter: %s", err);
        return NULL;
    }
    recording = 1;
    atomic_store(&R.active, 1); /* the window opens */
    Py_RETURN_NONE;
}

static PyObject* rec_stop(PyObject* self, PyObject* unused) {
    atomic_store(&R.active, 0); /* the window closes */
    if (!recording) Py_RETURN_NONE;
    recording = 0;
    int reason = atomic_load(&R.end_reason);
    struct _gc_runtime_state* g = gcstate();
    ensure(CHUNK_SLACK);
    uint64_t closed = atomic_load(&R.closed_ns);
    put_time_at(reason != END_STOP && closed ? closed : now_ns());
    put_byte(OP_END);
    put_varint_raw((uint64_t)reason);
    for (int i = 0; i < 3; i++) put_varint_raw((uint64_t)g->generations[i].count);

    remove_object_hooks();
    PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &orig_obj_alloc);
    uint64_t events = R.events, snapshots = R.snapshots, snapshot_objects = R.snapshot_objects,
             weakrefs = R.weakrefs;

    pthread_mutex_lock(&R.mu);
    chunk* c = R.cur;
    c->next = NULL;
    if (R.queue_tail)
        R.queue_tail->next = c;
    else
        R.queue_head = c;
    R.queue_tail = c;
    R.cur = NULL;
    R.closing = 1;
    pthread_cond_broadcast(&R.cv);
    pthread_mutex_unlock(&R.mu);
    Py_BEGIN_ALLOW_THREADS pthread_join(R.writer, NULL);
    Py_END_ALLOW_THREADS free_chunks();
    ZSTD_freeCCtx(R.zc);
    R.zc = NULL;
    int ok = !R.write_error && fflush(R.file) == 0;
    ok = fclose(R.file) == 0 && ok;
    R.file = NULL;
    if (ok && hooks_failed) ok = 0;
    if (ok) ok = rename(R.tmp_path, R.path) == 0;
    if (!ok) unlink(R.tmp_path);

    table_free(&live);
    table_free(&types);

    /* Undo what start() changed (after the window). */
    for (int k = 0; k < 2; k++) {
        PyObject* cb = k ? our_callback_last : our_callback;
        Py_ssize_t i = PySequence_Index(gc_callbacks, cb);
        if (i >= 0)
            PySequence_DelItem(gc_callbacks, i);
        else
            PyErr_Clear();
    }
    PyObject_SetAttrString(gc_module, "collect", orig_gc_collect);
    PyObject_SetAttrString(gc_module, "freeze", orig_gc_freeze);
    PyObject_SetAttrString(gc_module, "unfreeze", orig_gc_unfreeze);
    Py_CLEAR(gc_callbacks);
    Py_CLEAR(orig_gc_collect);
    Py_CLEAR(orig_gc_freeze);
    Py_CLEAR(orig_gc_unfreeze);
    Py_CLEAR(gc_module);

    uint64_t raw = R.raw_bytes, written = R.written_bytes;
    free(R.tmp_path);
    char* path = R.path;
    R.path = R.tmp_path = NULL;
    if (!ok) {
        PyErr_Format(PyExc_OSError, "heapsim_record: writing %s failed%s", path,
                     hooks_failed ? " (out of memory inside a hook)" : "");
        free(path);
        hooks_failed = 0;
        return NULL;
    }
    free(path);
    static const char* reasons[] = {"stop", "max_seconds", "max_bytes", "write_error"};
    return Py_BuildValue("{s:K,s:K,s:K,s:s,s:K,s:K,s:K}", "events", (unsigned long long)events,
                         "raw_bytes", (unsigned long long)raw, "bytes", (unsigned long long)written,
                         "end", reasons[reason & 3], "snapshots", (unsigned long long)snapshots,
                         "snapshot_objects", (unsigned long long)snapshot_objects, "weakrefs",
                         (unsigned long long)weakrefs);
}

static PyObject* rec_is_recording(PyObject* self, PyObject* unused) {
    return PyBool_FromLong(recording && atomic_load(&R.active));
}

static PyObject* rec_check(PyObject* self, PyObject* unused) {
    const char* why = check_support();
    if (why) return PyUnicode_FromString(why);
    Py_RETURN_NONE;
}

static PyMethodDef callback_def = {"_heapsim_record_gc_callback_first",
                                   (PyCFunction)(void (*)(void))gc_callback_first, METH_FASTCALL,
                                   NULL};
static PyMethodDef callback_last_def = {"_heapsim_record_gc_callback_last",
                                        (PyCFunction)(void (*)(void))gc_callback_last,
                                        METH_FASTCALL, NULL};
static PyMethodDef collect_def = {"collect", (PyCFunction)(void (*)(void))gc_collect_wrapper,
                                  METH_FASTCALL | METH_KEYWORDS,
                                  "gc.collect, seen by heapsim_record"};
static PyMethodDef freeze_def = {"freeze", gc_freeze_wrapper, METH_NOARGS,
                                 "gc.freeze, seen by heapsim_record"};
static PyMethodDef unfreeze_def = {"unfreeze", gc_unfreeze_wrapper, METH_NOARGS,
                                   "gc.unfreeze, seen by heapsim_record"};

static PyMethodDef methods[] = {
    {"start", (PyCFunction)(void (*)(void))rec_start, METH_VARARGS | METH_KEYWORDS,
     "start(path, max_seconds=0, max_bytes=0, level=3, snapshot_every=0): open the recording window"},
    {"stop", rec_stop, METH_NOARGS,
     "stop(): close the window and the file; returns a summary dict"},
    {"is_recording", rec_is_recording, METH_NOARGS, "whether the window is open"},
    {"unsupported_reason", rec_check, METH_NOARGS,
     "None, or why this interpreter cannot be recorded"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {PyModuleDef_HEAD_INIT, "_recorder", NULL, -1, methods};

PyMODINIT_FUNC PyInit__recorder(void) {
#ifdef HSR_UNSUPPORTED
    PyErr_SetString(PyExc_ImportError,
                    "heapsim_record: cannot record this interpreter: " HSR_UNSUPPORTED);
    return NULL;
#else
    /* The headers' version; 3.13.0-3.13.2 headers are refused at start(),
       by the running version. */
    const char* why = hsr_version_refusal(PY_VERSION_HEX, 1);
    if (why) {
        PyErr_Format(PyExc_ImportError, "heapsim_record: cannot record this interpreter: %s", why);
        return NULL;
    }
    if ((Py_Version & 0xFFFF0000u) != (PY_VERSION_HEX & 0xFFFF0000u)) {
        PyErr_SetString(PyExc_ImportError,
                        "heapsim_record: built for another CPython version; reinstall it with this "
                        "interpreter");
        return NULL;
    }
    PyObject* m = PyModule_Create(&module_def);
    if (!m) return NULL;
    key_generation = PyUnicode_InternFromString("generation");
    key_collected = PyUnicode_InternFromString("collected");
    key_uncollectable = PyUnicode_InternFromString("uncollectable");
    our_callback = PyCFunction_New(&callback_def, NULL);
    our_callback_last = PyCFunction_New(&callback_last_def, NULL);
    our_collect = PyCFunction_New(&collect_def, NULL);
    our_freeze = PyCFunction_New(&freeze_def, NULL);
    our_unfreeze = PyCFunction_New(&unfreeze_def, NULL);
    if (!key_generation || !key_collected || !key_uncollectable || !our_callback ||
        !our_callback_last || !our_collect || !our_freeze || !our_unfreeze) {
        Py_DECREF(m);
        return NULL;
    }
    (void)last_error_message;
    return m;
#endif
}
