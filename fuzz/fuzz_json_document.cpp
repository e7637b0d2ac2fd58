// Fuzz target: a JSON document (*.json),
//   {"format":"heaptrace","version":1,"events":[ ... ]},
// and the sniffing that tells a document from JSON Lines by its first members.
// Input: the bytes of a trace file, exactly as read_trace would see them.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    heapsim::fuzz::read_checked(bytes, "fuzz.json");
    return 0;
}
