#pragma once
// The verdict of `verify`: heapsim's run and the interpreter's log compared
// collection by collection, finalizer by finalizer, weakref callback by
// weakref callback, then the final gc.get_count().

#include <ostream>
#include <vector>

#include "events/symbol_table.h"
#include "sim/run_result.h"
#include "trace_formats/event_buffer.h"
#include "verify/interpreter_log.h"

namespace heapsim {

/// What the comparison needs of the model's side.
struct ModelSide {
    const RunResult& result;
    const std::vector<Sym>& callback_labels;  // ModelRun::labels
    const EventBuffer& events;                // the trace, to name allocations
    const SymbolTable& symbols;
};

/// Writes the comparison to `out` (with `brief`, only the collections that
/// differ) and returns true on exact agreement.
bool compare_with_interpreter(const ModelSide& model, const InterpreterLog& log, bool brief, std::ostream& out);

/// The interpreter's finalizer and weakref-callback calls, in its order,
/// named by trace id as the comparison names them.
std::vector<FinalizerRecord> interpreter_finalizers(const ModelSide& model,
                                                    const InterpreterLog& log);
std::vector<WeakrefCallbackRecord> interpreter_callbacks(const ModelSide& model,
                                                         const InterpreterLog& log);

}  // namespace heapsim
