#pragma once
// Shared by every fuzz target: a sink that checks what a reader promises
// about the events and diagnostics it pushes, whatever the input. A broken
// promise aborts, so libFuzzer records the input like any crash.
//
//   FUZZ_CHECK(condition);            // abort with a message when false
//   fuzz::read_checked(bytes, "x.jsonl");

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "events/diagnostic.h"
#include "events/event.h"
#include "events/symbol_table.h"
#include "trace_formats/trace_reader.h"

#define FUZZ_CHECK(condition)                                                                   \
    do {                                                                                         \
        if (!(condition)) ::heapsim::fuzz::check_failed(#condition, __FILE__, __LINE__);       \
    } while (false)

namespace heapsim::fuzz {

[[noreturn]] inline void check_failed(const char* condition, const char* file, int line) {
    std::fprintf(stderr, "%s:%d: fuzz invariant violated: %s\n", file, line, condition);
    std::abort();
}

/// Checks the reader's contract on every callback and keeps reading past
/// bad events (as --lenient does), so one malformed line does not hide the
/// rest of the input from the fuzzer.
class CheckingSink final : public EventSink {
public:
    bool on_event(const Event& event) override {
        FUZZ_CHECK(!fatal_seen_);
        check_number(event.number);
        // Timestamps never go backwards among accepted events.
        FUZZ_CHECK(event.time_ns >= last_time_);
        last_time_ = event.time_ns;
        for (const Sym ref : event.refs) FUZZ_CHECK(ref != kNoSym);
        ++events;
        return true;
    }

    bool on_error(const Diagnostic& diagnostic) override {
        FUZZ_CHECK(!fatal_seen_);
        // A diagnostic the user cannot act on is a bug: it must say something.
        FUZZ_CHECK(!diagnostic.message.empty());
        // A fatal one (damaged input) may name the event it interrupted,
        // which can be the last one delivered.
        if (diagnostic.event != 0) check_number(diagnostic.event, diagnostic.fatal);
        fatal_seen_ = diagnostic.fatal;
        ++errors;
        return true;
    }

    std::uint64_t events = 0;
    std::uint64_t errors = 0;

private:
    // Events are numbered from 1 in file order, bad ones included.
    void check_number(std::uint64_t number, bool may_repeat = false) {
        FUZZ_CHECK(number > last_number_ || (may_repeat && number == last_number_));
        last_number_ = number;
    }

    std::uint64_t last_number_ = 0;
    std::uint64_t last_time_ = 0;
    bool fatal_seen_ = false;
};

/// Reads `bytes` as a trace named `name_hint` through a CheckingSink.
inline void read_checked(const std::string& bytes, const std::string& name_hint) {
    SymbolTable symbols;
    CheckingSink sink;
    const ReadSummary summary = read_trace_buffer(bytes, name_hint, symbols, sink);
    // Every callback was for a numbered event or an unnumbered failure.
    FUZZ_CHECK(summary.events >= sink.events);
}

}  // namespace heapsim::fuzz
