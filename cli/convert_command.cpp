// `heapsim convert IN OUT [--to FORMAT]`: re-encodes a trace between text,
// JSON Lines and binary (.htb), each optionally gzip- or zstd-compressed.
// It streams: one event is read, written and forgotten at a time. Output
// goes to a temporary file renamed over OUT only once the whole input has
// been read without error, so a bad input leaves no OUT behind.

#include <CLI/CLI.hpp>
#include <optional>

#include "cli/command.h"
#include "cli/exit_status.h"
#include "engine/replay.h"
#include "platform/atomic_file.h"
#include "trace_formats/trace_reader.h"
#include "trace_formats/trace_writer.h"

namespace heapsim::cli {

namespace {

struct ConvertArgs {
    std::string input;
    std::string output;
    std::string to;  // "" = from OUT's name
};

// Writes each event as it is read; the first bad event stops the reading.
class ConvertSink final : public EventSink {
  public:
    explicit ConvertSink(TraceWriter& writer) : writer_(writer) {}
    bool on_event(const Event& event) override {
        writer_.write(event);
        return true;
    }
    bool on_error(const Diagnostic& diagnostic) override {
        if (!error) error = diagnostic;
        return false;
    }
    std::optional<Diagnostic> error;
    std::optional<TraceInterpreter> dropped;  // named, but OUT's encoding cannot say it

    void on_interpreter(const TraceInterpreter& interpreter) override {
        if (!writer_.set_interpreter(interpreter)) dropped = interpreter;
    }

  private:
    TraceWriter& writer_;
};

constexpr const char* kFormats = "text, jsonl or htb, optionally with .gz or .zst (htb.zst)";

int usage(CommandIo& io, const std::string& message) {
    io.err << "heapsim convert: " << message << "\nRun 'heapsim convert --help' for usage.\n";
    return kExitUsage;
}

/// Reads the input into `out`; on a bad input prints the reader's
/// FILE:LINE: message and returns false.
bool transcode(const ConvertArgs& args, const OutputEncoding& encoding, std::ostream& out,
               CommandIo& io, bool& output_failed) {
    SymbolTable symbols;
    const std::unique_ptr<TraceWriter> writer = make_trace_writer(encoding, out, symbols);
    ConvertSink sink(*writer);
    read_trace(args.input, symbols, sink);
    if (sink.error) {
        io.err << format_diagnostic(args.input, sink.error->line, sink.error->message) << '\n';
        return false;
    }
    output_failed = !writer->finish();
    if (sink.dropped) {
        // JSON Lines and .htb have no compatible place for it (docs/trace-format.md).
        io.err << "heapsim convert: warning: the output cannot name the trace's interpreter ("
               << describe(*sink.dropped) << "); replay it with --policy\n";
    }
    return true;
}

int convert(const ConvertArgs& args, CommandIo& io) {
    std::optional<OutputEncoding> encoding;
    if (!args.to.empty()) {
        encoding = encoding_from_format_name(args.to);
        if (!encoding) return usage(io, "unknown format '" + args.to + "' (formats: " + kFormats + ")");
    } else if (args.output == "-") {
        return usage(io, "writing to standard output needs --to FORMAT (" + std::string(kFormats) + ")");
    } else {
        encoding = encoding_from_name(args.output);
        std::string_view base = args.output;
        for (std::string_view z : {".gz", ".zst"})
            if (base.ends_with(z)) base.remove_suffix(z.size());
        if (!encoding && base.ends_with(".json")) {
            return usage(
                io, "'" + args.output +
                        "': a JSON document (.json) can be read but not written; write JSON Lines "
                        "(.jsonl), which carry the same events one per line");
        }
        if (!encoding) {
            return usage(io, "cannot tell the format of '" + args.output +
                                 "' from its name (.trace, .txt, .jsonl, .htb, each optionally "
                                 ".gz or .zst); use --to FORMAT");
        }
    }
    bool output_failed = false;
    if (args.output == "-") {
        if (!transcode(args, *encoding, io.out, io, output_failed)) return kExitUsage;
        if (output_failed) io.err << "heapsim convert: error writing to standard output\n";
        return output_failed ? kExitUsage : kExitOk;
    }
    AtomicFile file(args.output);
    if (!file.error().empty()) {
        io.err << "heapsim convert: " << file.error() << '\n';
        return kExitUsage;
    }
    if (!transcode(args, *encoding, file.stream(), io, output_failed)) return kExitUsage;
    if (output_failed || !file.commit()) {
        io.err << "heapsim convert: "
               << (file.error().empty() ? "cannot write '" + args.output + "'" : file.error()) << '\n';
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace

Command setup_convert_command(CLI::App& app) {
    auto args = std::make_shared<ConvertArgs>();
    CLI::App* cmd = app.add_subcommand(
        "convert", "Re-encode a trace: text, JSON Lines or binary (.htb), plain or compressed");
    cmd->add_option("IN", args->input,
                    "Trace to read, in any readable encoding and compression ('-' = standard input)")
        ->required();
    cmd->add_option("OUT", args->output,
                    "Where to write: the encoding follows the name (.trace/.txt, .jsonl, .htb, "
                    "then optionally .gz or .zst); '-' = standard output, with --to")
        ->required();
    cmd->add_option("--to", args->to,
                    "Output encoding, overriding OUT's name: text, jsonl or htb, optionally "
                    "followed by .gz or .zst (e.g. htb.zst)");
    cmd->footer(
        "Events are copied exactly; comments and blank lines of a text trace are not events and "
        "are dropped. The output appears only once the whole input was read without error "
        "(exit status 2 otherwise, with the reader's FILE:LINE: message).");
    return Command{cmd, [args](CommandIo& io) { return convert(*args, io); }};
}

}  // namespace heapsim::cli
