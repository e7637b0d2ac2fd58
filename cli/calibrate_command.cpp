// `heapsim calibrate [--python PATH] [-o MODEL]`: time the real interpreter's
// collections of synthetic heaps of known shape on this machine and fit the
// pause model's coefficients to them (docs/pauses.md).

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "calibrate/calibration_heaps.h"
#include "calibrate/calibration_run.h"
#include "calibrate/pause_fit.h"
#include "calibrate/pause_model_file.h"
#include "cli/command.h"
#include "cli/exit_status.h"
#include "platform/atomic_file.h"
#include "report/units.h"
#include "verify/interpreter_run.h"

namespace heapsim::cli {

namespace {

struct CalibrateArgs {
    std::string python = "python3";
    std::string output;  // "" = standard output
    std::string name;    // "" = cpython-VERSION
    int repeats = 7;
    double max_error = 0.25;
};

std::vector<PauseSample> samples_of(const std::vector<HeapShape>& heaps,
                                    const std::vector<double>& ns) {
    std::vector<PauseSample> samples;
    for (std::size_t i = 0; i < heaps.size(); ++i) samples.push_back({cost_of(heaps[i]), ns[i]});
    return samples;
}

std::string percent(double fraction) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %%", fraction * 100);
    return buf;
}

/// One line per held-out heap: its shape, measured and predicted pause, error.
void write_held_out(const PauseModel& model, const std::vector<HeapShape>& heaps,
                    const std::vector<PauseSample>& samples, std::ostream& out) {
    out << "held-out heaps (live×degree, garbage, finalizers, callbacks: measured, predicted, "
           "error)\n";
    for (std::size_t i = 0; i < heaps.size(); ++i) {
        const HeapShape& h = heaps[i];
        const PauseSample& s = samples[i];
        char line[160];
        std::snprintf(line, sizeof line, "  %6u×%-2u %6u %6u %6u   %10s %10s %7s\n", h.live,
                      h.degree, h.garbage, h.finalizers, h.callbacks,
                      human_duration(static_cast<std::uint64_t>(s.pause_ns)).c_str(),
                      human_duration(model.pause_ns(s.cost)).c_str(),
                      percent(relative_error(model, s)).c_str());
        out << line;
    }
}

int calibrate(const CalibrateArgs& args, CommandIo& io) {
    std::string error;
    const auto version = python_version(args.python, error);
    if (!version) {
        io.err << "heapsim calibrate: " << error << '\n';
        return kExitUsage;
    }
    const std::vector<HeapShape> training = training_heaps(), held_out = held_out_heaps();
    std::vector<HeapShape> all = training;
    all.insert(all.end(), held_out.begin(), held_out.end());
    const auto ns = time_collections(args.python, all, args.repeats, error);
    if (!ns) {
        io.err << "heapsim calibrate: " << error << '\n';
        return kExitUsage;
    }
    const std::vector<PauseSample> samples = samples_of(all, *ns);
    const std::vector<PauseSample> fitted(samples.begin(), samples.begin() + training.size()),
        checked(samples.begin() + training.size(), samples.end());

    PauseModel named;
    named.name = args.name.empty() ? "cpython-" + *version : args.name;
    named.source = "heapsim calibrate: CPython " + *version + " (" + args.python + ")";
    const auto model = fit_pause_model(fitted, named);
    if (!model) {
        io.err << "heapsim calibrate: the interpreter's timings could not be fitted (a "
                  "collection took 0 ns?)\n";
        return kExitUsage;
    }
    FitQuality quality{training.size(), held_out.size(), 0, 0};
    for (const PauseSample& s : checked) {
        const double e = relative_error(*model, s);
        quality.held_out_mean_error += e / static_cast<double>(checked.size());
        quality.held_out_max_error = std::max(quality.held_out_max_error, e);
    }
    const std::string document = pause_model_document(*model, quality);

    std::ostream& summary = args.output.empty() ? io.err : io.out;
    if (!args.output.empty()) {
        AtomicFile file(args.output);
        if (file.error().empty()) file.stream() << document;
        if (!file.error().empty() || !file.commit()) {
            io.err << "heapsim calibrate: " << file.error() << '\n';
            return kExitUsage;
        }
    } else {
        io.out << document;
    }
    summary << "heapsim calibrate: pause model " << model->name << " from " << training.size()
            << " heaps timed on CPython " << *version << "\n";
    write_held_out(*model, held_out, checked, summary);
    summary << "held-out error: mean " << percent(quality.held_out_mean_error) << ", max "
            << percent(quality.held_out_max_error) << " (limit " << percent(args.max_error)
            << ")\n";
    if (quality.held_out_max_error > args.max_error) {
        io.err << "heapsim calibrate: the fit misses a held-out heap by "
               << percent(quality.held_out_max_error) << ", more than " << percent(args.max_error)
               << " (a busy machine? try again, or more --repeats)\n";
        return kExitCheckFailed;
    }
    return kExitOk;
}

}  // namespace

Command setup_calibrate_command(CLI::App& app) {
    auto args = std::make_shared<CalibrateArgs>();
    CLI::App* cmd = app.add_subcommand(
        "calibrate",
        "Time a real interpreter's collections of heaps of known shape and fit the pause model "
        "to them (run --pause-model uses the result)");
    cmd->footer(
        "Exit status: 0 the model was written; 1 it was written but misses a held-out heap by "
        "more than --max-error; 2 the interpreter could not be run or the file written.\n");
    cmd->add_option("--python", args->python, "Interpreter to time (default python3)")
        ->type_name("PATH");
    cmd->add_option("-o,--output", args->output,
                    "Write the model (JSON, docs/pauses.md) to FILE instead of standard output")
        ->type_name("MODEL");
    cmd->add_option("--name", args->name, "The model's name (default cpython-VERSION)")
        ->type_name("NAME");
    cmd->add_option("--repeats", args->repeats,
                    "Collections timed per heap; the fastest counts (default 7)")
        ->type_name("N")
        ->check(CLI::Range(1, 100));
    cmd->add_option("--max-error", args->max_error,
                    "Largest relative error allowed on a held-out heap (default 0.25)")
        ->type_name("FRACTION")
        ->check(CLI::Range(0.0, 10.0));
    return Command{cmd, [args](CommandIo& io) { return calibrate(*args, io); }};
}

}  // namespace heapsim::cli
