// One CSV row per collection, for spreadsheets and plotting. Every field is
// an integer or a bare word, so no quoting is ever needed. The last columns
// say which thresholds were in force and how many of the trace's own
// `threshold` events had changed them by then (docs/report.md).

#include "report/report.h"

namespace heapsim {

void write_csv_report(const RunResult& r, std::ostream& out) {
    out << "seq,event,time_ns,generation,trigger,collected,uncollectable,scanned,promoted,pause_ns,"
           "bytes_freed,threshold0,threshold1,threshold2,"
           "threshold_events\n";
    for (const CollectionRecord& c : r.collections) {
        out << c.seq << ',' << c.event << ',' << c.time_ns << ',' << c.generation << ','
            << trigger_name(c.trigger) << ',' << c.collected << ',' << c.uncollectable << ','
            << c.scanned << ',' << c.promoted << ',' << c.pause_ns << ',' << c.bytes_freed << ','
            << c.thresholds[0] << ',' << c.thresholds[1] << ',' << c.thresholds[2] << ','
            << c.threshold_events << '\n';
    }
}

}  // namespace heapsim
