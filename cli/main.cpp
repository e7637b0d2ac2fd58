// heapsim: the executable is the cli library plus this function.
#include "cli/command.h"
#include "cli/stdout_stream.h"

int main(int argc, char** argv) {
    heapsim::cli::ignore_sigpipe();
    return heapsim::cli::run_main(argc, argv);
}
