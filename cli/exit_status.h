#pragma once
// Process exit statuses shared by every command (docs/cli.md, "Exit status").

#include "events/diagnostic.h"

namespace heapsim::cli {

enum ExitStatus : int {
    kExitOk = 0,           // success
    kExitCheckFailed = 1,  // an `expect` (later: a budget, a verify mismatch) failed
    kExitUsage = 2,        // invalid input or usage: malformed trace, bad flag, unreadable file
    kExitLimit = 3,        // a resource limit (--max-objects, --max-memory) was reached
    kExitInternal = 70,    // a bug in heapsim (an unexpected exception); never expected
};

/// The exit status a stopping diagnostic maps to: 3 for a limit, else 2.
inline int exit_status_for(const Diagnostic& diagnostic) {
    if (diagnostic.kind == ErrorKind::Internal) return kExitInternal;
    return diagnostic.kind == ErrorKind::Limit ? kExitLimit : kExitUsage;
}

}  // namespace heapsim::cli
