#pragma once
// The pause models in models/pause/, compiled in (the build generates the
// definition from the files: cmake/embed_files.cmake).

#include <span>
#include <string_view>

namespace heapsim {

struct ShippedPauseModel {
    std::string_view name;  // the file's name without .json
    std::string_view text;  // its contents
};

std::span<const ShippedPauseModel> shipped_pause_models();

}  // namespace heapsim
