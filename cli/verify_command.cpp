// `heapsim verify TRACE [--python PATH]`: run the trace's operations on the
// real interpreter and compare it with heapsim's model collection by
// collection. Exit 0 only on exact agreement.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "cli/command.h"
#include "cli/exit_status.h"
#include "engine/buffered_replay.h"
#include "engine/replay.h"
#include "platform/child_process.h"
#include "trace_formats/event_buffer.h"
#include "trace_formats/trace_reader.h"
#include "verify/interpreter_log.h"
#include "verify/python_program.h"

namespace heapsim::cli {

namespace {

struct VerifyArgs {
    std::string trace;
    std::string python = "python3";
    std::string program;  // also write the generated program here
    bool brief = false;
    bool plain = false;  // only write the uninstrumented program (benchmarks)
};

/// heapsim's side: the run's result and the program that performs it.
struct ModelRun {
    std::optional<RunResult> result;
    std::string program;
    std::vector<Sym> labels;
    std::optional<Diagnostic> error;
};

ModelRun model_run(const EventBuffer& events, SymbolTable& symbols, std::uint64_t interpreter_objects,
                   const std::string& trace, bool instrumented = true) {
    SimOptions options;
    options.policy = *policy_by_name("cpython-3.11");
    options.interpreter_objects = interpreter_objects;
    Simulator sim(options, symbols);
    bool plain = true;
    Event ev;
    for (EventBuffer::Cursor scan = events.cursor(); plain && scan.next(ev);) {
        if (ev.key != kNoSym) plain = identifier_safe(symbols.str(ev.key));
    }
    PythonProgram program(symbols, sim, trace, plain, instrumented);
    ModelRun run;
    for (EventBuffer::Cursor replay = events.cursor(); replay.next(ev);) {
        auto untranslatable = program.add(ev);
        if (auto d = sim.apply(ev)) {
            run.error = d;
            return run;
        }
        if (untranslatable) {
            run.error = untranslatable;
            return run;
        }
    }
    run.result = sim.finish(trace, events.size());
    run.program = program.finish();
    run.labels = program.callback_labels();
    return run;
}

std::string temp_path(const char* suffix) {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/heapsim-verify-XXXXXX" + suffix;
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    const int fd = mkstemps(buf.data(), static_cast<int>(std::strlen(suffix)));
    if (fd < 0) throw std::runtime_error("cannot create a temporary file in " + pattern);
    close(fd);
    return buf.data();
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Runs the program on the interpreter; the log, or an error message.
std::optional<InterpreterLog> interpret(const std::string& python, const std::string& program,
                                        std::string& error) {
    const std::string script = temp_path(".py"), log = temp_path(".log");
    std::ofstream(script) << program;
    const ChildResult child = run_child({python, script}, log);
    const std::string text = read_file(log);
    std::remove(script.c_str());
    std::remove(log.c_str());
    if (!child.started) {
        error = child.error;
        return std::nullopt;
    }
    InterpreterLog parsed = parse_interpreter_log(text);
    if (!parsed.exception.empty()) {
        error = "the interpreter raised an exception while replaying the trace (heapsim's model and "
                "the interpreter disagree on which objects are alive):\n" + parsed.exception;
        return std::nullopt;
    }
    if (!parsed.started || !parsed.finished) {
        error = "'" + python + "' did not run the program to the end (exit status " +
                std::to_string(child.exit_status) +
                (child.signal ? ", signal " + std::to_string(child.signal) : "") + "):\n" +
                text.substr(0, 4000);
        return std::nullopt;
    }
    return parsed;
}

struct Comparison {
    std::uint64_t compared = 0, agreed = 0;
    void count(bool same) {
        ++compared;
        agreed += same;
    }
    bool all() const { return compared == agreed; }
};

std::string sizes(const std::array<std::uint64_t, 3>& g) {
    return std::to_string(g[0]) + "/" + std::to_string(g[1]);
}

int verify(const VerifyArgs& args, CommandIo& io) {
    LoadedTrace loaded = load_trace(args.trace);
    SymbolTable& symbols = loaded.symbols;
    if (loaded.error) {
        io.err << format_diagnostic(args.trace, loaded.error->line, loaded.error->message) << '\n';
        return exit_status_for(*loaded.error);
    }
    ModelRun model = model_run(loaded.events, symbols, 0, args.trace, !args.plain);
    if (model.error) {
        io.err << format_diagnostic(args.trace, model.error->line, model.error->message) << '\n';
        return kExitUsage;
    }
    if (args.plain) {
        // Nothing to compare: the program is for timing the interpreter.
        std::ofstream out(args.program);
        if (!(out << model.program)) {
            io.err << "heapsim verify: cannot write " << args.program << '\n';
            return kExitUsage;
        }
        return kExitOk;
    }
    std::string error;
    auto log = interpret(args.python, model.program, error);
    if (!log) {
        io.err << "heapsim verify: " << error << '\n';
        return kExitUsage;
    }
    // The interpreter's own long-lived objects count in the 25% rule: model
    // them, and run again if that changed the program.
    ModelRun second = model_run(loaded.events, symbols, log->interpreter_objects, args.trace);
    if (second.error) {
        io.err << format_diagnostic(args.trace, second.error->line, second.error->message) << '\n';
        return kExitUsage;
    }
    if (second.program != model.program) {
        log = interpret(args.python, second.program, error);
        if (!log) {
            io.err << "heapsim verify: " << error << '\n';
            return kExitUsage;
        }
    }
    model = std::move(second);
    if (!args.program.empty()) std::ofstream(args.program) << model.program;
    const RunResult& r = *model.result;

    // Which trace id each allocation address belongs to, in program order.
    std::vector<Sym> id_at_event(loaded.events.size() + 1, kNoSym);
    Event ev;
    for (EventBuffer::Cursor scan = loaded.events.cursor(); scan.next(ev);) {
        if (ev.kind == EventKind::Alloc || ev.kind == EventKind::Weakref) id_at_event[ev.number] = ev.id;
    }
    // Resolves the address of a finalized object or a weakref to its trace id
    // from the allocation lines printed before that call.
    class Resolver {
    public:
        Resolver(const InterpreterLog& log, const std::vector<Sym>& ids, const SymbolTable& symbols)
            : log_(log), ids_(ids), symbols_(symbols) {}
        std::string operator()(const ObservedCall& call) {
            while (next_ < log_.allocations.size() && log_.allocations[next_].seq < call.seq) {
                const auto& a = log_.allocations[next_++];
                by_address_[a.address] = std::string(symbols_.str(ids_[a.event]));
            }
            auto it = by_address_.find(call.address);
            return it == by_address_.end() ? std::string("?") : it->second;
        }

    private:
        const InterpreterLog& log_;
        const std::vector<Sym>& ids_;
        const SymbolTable& symbols_;
        std::size_t next_ = 0;
        std::unordered_map<std::uint64_t, std::string> by_address_;
    };

    io.out << "heapsim verify " << args.trace << ": model cpython-3.11 against Python " << log->version
           << " (" << args.python << ")\n";
    Comparison collections, finalizers, callbacks;
    const std::size_t n = std::max(r.collections.size(), log->collections.size());
    for (std::size_t i = 0; i < n; ++i) {
        const CollectionRecord* m = i < r.collections.size() ? &r.collections[i] : nullptr;
        const ObservedCollection* p = i < log->collections.size() ? &log->collections[i] : nullptr;
        const bool same = m && p && m->event == p->event && m->generation == p->generation &&
                          m->collected == p->collected && m->uncollectable == p->uncollectable &&
                          m->gen_sizes[0] == p->gen_sizes[0] && m->gen_sizes[1] == p->gen_sizes[1];
        collections.count(same);
        if (same && args.brief) continue;
        char buf[256];
        if (m) {
            std::snprintf(buf, sizeof buf, "  #%-4zu event %-7llu gen %d  collected %-5llu uncollectable %-3llu young %s",
                          i + 1, static_cast<unsigned long long>(m->event), m->generation,
                          static_cast<unsigned long long>(m->collected),
                          static_cast<unsigned long long>(m->uncollectable), sizes(m->gen_sizes).c_str());
        } else {
            std::snprintf(buf, sizeof buf, "  #%-4zu (no collection in heapsim)", i + 1);
        }
        io.out << buf << (same ? "  agree" : "  DIFFER") << '\n';
        if (!same && p)
            io.out << "        python: event " << p->event << " gen " << p->generation << "  collected "
                   << p->collected << " uncollectable " << p->uncollectable << " young "
                   << sizes(p->gen_sizes) << '\n';
        if (!same && !p) io.out << "        python: no such collection\n";
    }

    Resolver resolve(*log, id_at_event, symbols);
    const std::size_t nf = std::max(r.finalizers.size(), log->finalizers.size());
    for (std::size_t i = 0; i < nf; ++i) {
        const FinalizerRecord* m = i < r.finalizers.size() ? &r.finalizers[i] : nullptr;
        const ObservedCall* p = i < log->finalizers.size() ? &log->finalizers[i] : nullptr;
        const std::string pid = p ? resolve(*p) : "";
        const bool same = m && p && m->event == p->event && m->id == pid;
        finalizers.count(same);
        if (!same)
            io.out << "  finalizer #" << i + 1 << ": heapsim "
                   << (m ? "'" + m->id + "' at event " + std::to_string(m->event) : std::string("none"))
                   << ", python " << (p ? "'" + pid + "' at event " + std::to_string(p->event) : std::string("none"))
                   << "  DIFFER\n";
    }
    Resolver resolve_cb(*log, id_at_event, symbols);
    const std::size_t nc = std::max(r.weakref_callbacks.size(), log->callbacks.size());
    for (std::size_t i = 0; i < nc; ++i) {
        const WeakrefCallbackRecord* m = i < r.weakref_callbacks.size() ? &r.weakref_callbacks[i] : nullptr;
        const ObservedCall* p = i < log->callbacks.size() ? &log->callbacks[i] : nullptr;
        std::string pid, plabel;
        if (p) {
            pid = resolve_cb(*p);
            if (p->label >= 0 && static_cast<std::size_t>(p->label) < model.labels.size())
                plabel = std::string(symbols.str(model.labels[p->label]));
        }
        const bool same = m && p && m->event == p->event && m->weakref == pid && m->label == plabel;
        callbacks.count(same);
        if (!same)
            io.out << "  weakref callback #" << i + 1 << ": heapsim "
                   << (m ? "'" + m->weakref + "' (" + m->label + ") at event " + std::to_string(m->event)
                         : std::string("none"))
                   << ", python "
                   << (p ? "'" + pid + "' (" + plabel + ") at event " + std::to_string(p->event)
                         : std::string("none"))
                   << "  DIFFER\n";
    }
    const auto& fc = r.summary.final_count;
    const bool count_same = log->final_count && *log->final_count == fc;
    auto triple = [](const std::array<std::uint64_t, 3>& c) {
        return "(" + std::to_string(c[0]) + ", " + std::to_string(c[1]) + ", " + std::to_string(c[2]) + ")";
    };
    io.out << "collections: " << collections.compared << " compared, " << collections.agreed << " agree\n"
           << "finalizers: " << finalizers.compared << " compared, " << finalizers.agreed << " agree\n"
           << "weakref callbacks: " << callbacks.compared << " compared, " << callbacks.agreed << " agree\n"
           << "final gc.get_count(): heapsim " << triple(fc) << ", python "
           << (log->final_count ? triple(*log->final_count) : std::string("?"))
           << (count_same ? "  agree" : "  DIFFER") << '\n';
    const bool ok = collections.all() && finalizers.all() && callbacks.all() && count_same;
    io.out << (ok ? "verify: exact agreement\n" : "verify: heapsim and the interpreter differ\n");
    return ok ? kExitOk : kExitCheckFailed;
}

}  // namespace

Command setup_verify_command(CLI::App& app) {
    auto args = std::make_shared<VerifyArgs>();
    CLI::App* cmd = app.add_subcommand(
        "verify", "Run the trace's operations on a real Python interpreter and compare it with heapsim's "
                  "model, collection by collection");
    cmd->add_option("TRACE", args->trace, "Trace file (- for standard input)")->required();
    cmd->add_option("--python", args->python, "Interpreter to run (default python3)");
    cmd->add_option("--program", args->program, "Also write the generated Python program to this file");
    cmd->add_flag("--brief", args->brief, "List only the collections that differ");
    cmd->add_flag("--plain", args->plain,
                  "Only write the --program, without instrumentation, timing its own main() (for "
                  "benchmarks); the interpreter is not run")
        ->needs(cmd->get_option("--program"));
    return Command{cmd, [args](CommandIo& io) { return verify(*args, io); }};
}

}  // namespace heapsim::cli
