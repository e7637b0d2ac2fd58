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
    r.collector = "generational";
    r.provenance = "verified against interpreter 3.11.7";
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
        {"n1", "Node", "app.py:12", 56, LeakReason::Uncollectable, "", {}, ""},
        {"n2", "Node", "app.py:12", 56, LeakReason::Uncollectable, "", {}, ""},
        {"c", "list", "", 88, LeakReason::LiveAtEnd, "cache", {}, ""},
    };
    r.leak_groups = {
        {LeakReason::Uncollectable, "app.py:12", "Node", 2, 112, "", {{0, 1, 1, 2}}, "n1", {}, ""},
        {LeakReason::LiveAtEnd, "", "list", 1, 88, "cache", {{1, 1, 1, 1}}, "c", {}, ""},
    };
    r.expect_failures = {{1233, 1240, "expect freed n1: object is alive"}};
    r.pauses[0] = {1, 42000, 42000, 42000, 42000, 42000};
    r.pauses[2] = {1, 1500000, 1500000, 1500000, 1500000, 1500000};
    r.pauses_all = {2, 1542000, 42000, 1500000, 1500000, 1500000};
    r.promoted = {661, 0};
    r.timeline = {{1000, 4000, 900, 50400, {{300, 0, 0}}, 0, 1000}, {1234, 9500, 8, 640, {{5, 1, 0}}, 112, 1234}};
    r.skipped = {{"unknown-id", 3, {17, 40, 41}}};
    // Retention paths: n1 and n2 hold each other, n1's type has a tp_del;
    // c is the list under the name cache.
    RetentionStep n1{"", "n1", "Node", "", false, 0}, n2{"", "n2", "Node", "next", true, 0};
    RetentionStep n1_back{"", "n1", "Node", "prev", true, 0};
    r.leaks[0].path = r.paths.add({n1, n2, n1_back});
    r.leaks[0].finalizer = "n1";
    r.leaks[2].path =
        r.paths.add(RetentionPath{{"cache", "", "", "", false, 0}, {"", "c", "list", "", false, 0}});
    r.leak_groups[0].path = r.leaks[0].path;
    r.leak_groups[0].finalizer = "n1";
    r.leak_groups[1].path = r.leaks[2].path;
    RunProfile& p = r.profile;
    p.promotions.total = 661;
    p.promotions.survivor_age = {{0, 1400, 5}, {1, 90, 3}};
    p.promotions.by_site = {{"Node", "app.py:12", 600, {{1, 90, 2}}}};
    p.peak_live_bytes = {1000, 50400};
    p.peak_cyclic_garbage_bytes = {1200, 112};
    p.at_peak = {1000, 50400, {{"Node", "app.py:12", 900, 50400}}};
    p.temporaries = {{"str", "app.py:3", 400, 22400}};
    p.temporary_window = 8;
    p.slots_what_if = {{"Node", 900, 2, 50400, 7200}};
    p.marking = {2, 1810, 0};
    return r;
}

}  // namespace heapsim::test
