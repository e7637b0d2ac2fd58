// Fuzz target: the text form (*.trace): tokenizer, options, numbers, header, timestamps.
// Input: the bytes of a trace file, exactly as read_trace would see them.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    heapsim::fuzz::read_checked(bytes, "fuzz.trace");
    return 0;
}
