/* heapsim_record: which CPython versions the recorder refuses, and the one
 * line it says (docs/recording.md, "Installing"). A pure function of the
 * version, without Python.h, so that a test can feed it versions no
 * interpreter here has (tests/unit/recording/version_gate_test.cpp).
 * recorder.c asks it at import with the headers' version (a build against
 * them cannot work) and at start() with the running interpreter's. */
#ifndef HEAPSIM_RECORD_VERSION_GATE_H
#define HEAPSIM_RECORD_VERSION_GATE_H

#define HSR_REFUSE_OLD "CPython older than 3.11 is not supported"
/* Releases before 3.13.3 do not report every destruction to PyRefTracer. */
#define HSR_REFUSE_313_EARLY                                                            \
    "CPython 3.13.0-3.13.2 do not report every object destruction to PyRefTracer; use " \
    "3.13.3 or newer"
/* 3.14.0-3.14.4 collect incrementally (young + two old spaces, no
   generations 1 and 2); 3.14.5 forward-ported the generational collector
   (gh-142516, ../shared/reference/cpython-gc.md 6.5). */
#define HSR_REFUSE_314_INCREMENTAL                                                        \
    "CPython 3.14.0-3.14.4 collect incrementally (no generations to record); use 3.14.5 " \
    "or newer"
#define HSR_REFUSE_NEWER "CPython 3.15+ is not supported by this version of the recorder yet"
#define HSR_REFUSE_FREE_THREADED "free-threaded builds are not supported (no generations to record)"

/* Why an interpreter of `hexversion` (sys.hexversion) cannot be recorded,
   or NULL. `early_313_allowed`: 3.13.0-3.13.2 are let through (the
   HEAPSIM_RECORD_ALLOW_EARLY_313 escape hatch; their recordings miss
   deaths). */
static inline const char* hsr_version_refusal(unsigned long hexversion, int early_313_allowed) {
    if (hexversion < 0x030B0000UL) return HSR_REFUSE_OLD;
    if (hexversion >= 0x030D0000UL && hexversion < 0x030D0300UL && !early_313_allowed)
        return HSR_REFUSE_313_EARLY;
    if (hexversion >= 0x030E0000UL && hexversion < 0x030E0500UL) return HSR_REFUSE_314_INCREMENTAL;
    if (hexversion >= 0x030F0000UL) return HSR_REFUSE_NEWER;
    return 0;
}

#endif
