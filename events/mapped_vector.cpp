#include "events/mapped_vector.h"

#include <sys/mman.h>
#include <unistd.h>

#include <new>

namespace heapsim::mapping {

void* allocate(std::size_t bytes) {
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    return p;
}

void* grow(void* p, std::size_t old_bytes, std::size_t new_bytes) {
    // MREMAP_MAYMOVE: the kernel moves the pages' table entries, not their
    // contents, when the range cannot grow in place.
    void* q = ::mremap(p, old_bytes, new_bytes, MREMAP_MAYMOVE);
    if (q == MAP_FAILED) throw std::bad_alloc();
    return q;
}

void release(void* p, std::size_t bytes) {
    ::munmap(p, bytes);
}

std::size_t page_size() {
    static const std::size_t size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    return size;
}

}  // namespace heapsim::mapping
