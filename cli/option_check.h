#pragma once
// A CLI11 validator made from one of the option parsers (cli/options.h,
// sweep/): accepts the value when the parser does, else fails with the
// parser's one-line message.

#include <CLI/CLI.hpp>
#include <string>

namespace heapsim::cli {

template <typename Parse>
CLI::Validator check(Parse parse) {
    return CLI::Validator(
        [parse](std::string& value) -> std::string {
            auto parsed = parse(value);
            return parsed ? std::string() : parsed.error();
        },
        "");
}

}  // namespace heapsim::cli
