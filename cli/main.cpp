// heapsim: the executable is the cli library plus this function.
#include "cli/command.h"

int main(int argc, char** argv) { return heapsim::cli::run_main(argc, argv); }
