#pragma once
// A small hand-built RunResult for the reporter tests: two collections, one
// weakref callback, one finalizer, three leaks in two groups, one expect
// failure, one kind of skipped event.

#include "sim/run_result.h"

namespace heapsim::test {

inline RunResult sample_result() {
    RunResult r;
    r.trace_path = "traces/sample.trace";
    r.events = 1234;
    r.policy = "cpython-3.11";
    r.thresholds = {700, 10, 10};
    r.threshold_events = 1;  // the trace set 1000, 10, 10 between the two collections
    r.threshold_events_applied = 1;
    r.thresholds_at_end = {1000, 10, 10};

    Summary& s = r.summary;
    s.objects_allocated = 1500;
    s.freed_by_refcount = 1400;
    s.collected_by_gc = 90;
    s.uncollectable = 2;
    s.live_at_end = 8;
    s.live_bytes_at_end = 640;
    s.peak_live_objects = 1200;
    s.peak_live_bytes = 1536000;
    s.final_count = {5, 1, 0};
    s.collections = {1, 0, 1};
    s.expect_failures = 1;

    CollectionRecord c1;
    c1.seq = 1;
    c1.event = 703;
    c1.time_ns = 5000;
    c1.generation = 0;
    c1.trigger = Trigger::Threshold;
    c1.collected = 40;
    c1.uncollectable = 0;
    c1.scanned = 701;
    c1.promoted = 661;
    c1.pause_ns = 42000;
    c1.bytes_freed = 2240;
    c1.thresholds = {700, 10, 10};
    CollectionRecord c2 = c1;
    c2.seq = 2;
    c2.event = 1230;
    c2.time_ns = 9000;
    c2.generation = 2;
    c2.trigger = Trigger::Collect;
    c2.collected = 50;
    c2.uncollectable = 2;
    c2.scanned = 1100;
    c2.promoted = 0;
    c2.pause_ns = 1500000;
    c2.bytes_freed = 2800;
    c2.thresholds = {1000, 10, 10};
    c2.threshold_events = 1;
    r.collections = {c1, c2};

    r.weakref_callbacks = {{1231, "w1", "on_gone"}};
    r.finalizers = {{1231, "obj7"}};
    r.leaks = {
        {"n1", "Node", "app.py:12", 56, LeakReason::Uncollectable, ""},
        {"n2", "Node", "app.py:12", 56, LeakReason::Uncollectable, ""},
        {"c", "list", "", 88, LeakReason::LiveAtEnd, "cache"},
    };
    r.leak_groups = {
        {LeakReason::Uncollectable, "app.py:12", "Node", 2, 112, "", {{0, 1, 1, 2}}},
        {LeakReason::LiveAtEnd, "", "list", 1, 88, "cache", {{1, 1, 1, 1}}},
    };
    r.expect_failures = {{1233, 1240, "expect freed n1: object is alive"}};
    r.pauses[0] = {1, 42000, 42000, 42000, 42000, 42000};
    r.pauses[2] = {1, 1500000, 1500000, 1500000, 1500000, 1500000};
    r.pauses_all = {2, 1542000, 42000, 1500000, 1500000, 1500000};
    r.promoted = {661, 0};
    r.timeline = {{1000, 4000, 900, 50400, {{300, 0, 0}}}, {1234, 9500, 8, 640, {{5, 1, 0}}}};
    r.skipped = {{"unknown-id", 3, {17, 40, 41}}};
    return r;
}

}  // namespace heapsim::test
