#include <doctest/doctest.h>

#include <type_traits>

#include <sstream>

#include "report/report.h"
#include "tests/unit/report/sample_result.h"

using namespace heapsim;

namespace {

template <typename F>
std::string render(F&& write, const RunResult& r) {
    std::ostringstream out;
    if constexpr (std::is_invocable_v<F, const RunResult&, std::ostream&>) {
        write(r, out);
    } else {
        write(r, out, ReportOptions{});
    }
    return out.str();
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("the JSON report is exactly heapsim-report/1, fields in schema order") {
    const std::string expected = R"({
  "schema": "heapsim-report/1",
  "trace": {
    "path": "traces/sample.trace",
    "events": 1234
  },
  "policy": {
    "name": "cpython-3.11",
    "thresholds": [
      700,
      10,
      10
    ],
    "trace_thresholds": "follow",
    "threshold_events": 1,
    "threshold_events_applied": 1,
    "thresholds_at_end": [
      1000,
      10,
      10
    ],
    "collector": "generational",
    "provenance": "verified against interpreter 3.11.7"
  },
  "summary": {
    "objects_allocated": 1500,
    "freed_by_refcount": 1400,
    "collected_by_gc": 90,
    "uncollectable": 2,
    "live_at_end": 8,
    "peak_live_objects": 1200,
    "peak_live_bytes": 1536000,
    "final_count": [
      5,
      1,
      0
    ],
    "collections": [
      1,
      0,
      1
    ],
    "expect_failures": 1
  },
  "collections": [
    {
      "seq": 1,
      "event": 703,
      "generation": 0,
      "trigger": "threshold",
      "collected": 40,
      "uncollectable": 0,
      "scanned": 701,
      "promoted": 661,
      "pause_ns": 42000
    },
    {
      "seq": 2,
      "event": 1230,
      "generation": 2,
      "trigger": "collect",
      "collected": 50,
      "uncollectable": 2,
      "scanned": 1100,
      "promoted": 0,
      "pause_ns": 1500000
    }
  ],
  "weakref_callbacks": [
    {
      "event": 1231,
      "weakref": "w1",
      "label": "on_gone"
    }
  ],
  "finalizers": [
    {
      "event": 1231,
      "id": "obj7"
    }
  ],
  "leaks": [
    {
      "id": "n1",
      "type": "Node",
      "site": "app.py:12",
      "bytes": 56,
      "reason": "uncollectable",
      "path": [
        {
          "id": "n1",
          "type": "Node"
        },
        {
          "id": "n2",
          "type": "Node",
          "key": "next"
        },
        {
          "id": "n1",
          "type": "Node",
          "key": "prev"
        }
      ],
      "finalizer": "n1"
    },
    {
      "id": "n2",
      "type": "Node",
      "site": "app.py:12",
      "bytes": 56,
      "reason": "uncollectable",
      "path": []
    },
    {
      "id": "c",
      "type": "list",
      "site": "",
      "bytes": 88,
      "reason": "live-at-end",
      "held_by": "cache",
      "path": [
        {
          "name": "cache"
        },
        {
          "id": "c",
          "type": "list"
        }
      ]
    }
  ],
  "pauses": {
    "gen0": {
      "count": 1,
      "total_ns": 42000,
      "p50_ns": 42000,
      "p95_ns": 42000,
      "p99_ns": 42000,
      "max_ns": 42000
    },
    "gen1": {
      "count": 0,
      "total_ns": 0,
      "p50_ns": 0,
      "p95_ns": 0,
      "p99_ns": 0,
      "max_ns": 0
    },
    "gen2": {
      "count": 1,
      "total_ns": 1500000,
      "p50_ns": 1500000,
      "p95_ns": 1500000,
      "p99_ns": 1500000,
      "max_ns": 1500000
    },
    "all": {
      "count": 2,
      "total_ns": 1542000,
      "p50_ns": 42000,
      "p95_ns": 1500000,
      "p99_ns": 1500000,
      "max_ns": 1500000
    }
  },
  "promotions": {
    "gen0_to_gen1": 661,
    "gen1_to_gen2": 0,
    "total": 661,
    "survivor_age": [
      {
        "age": 0,
        "died": 1400,
        "live_at_end": 5
      },
      {
        "age": 1,
        "died": 90,
        "live_at_end": 3
      }
    ],
    "by_site": [
      {
        "type": "Node",
        "site": "app.py:12",
        "promoted": 600,
        "survivor_age": [
          {
            "age": 1,
            "died": 90,
            "live_at_end": 2
          }
        ]
      }
    ]
  },
  "timeline": [
    {
      "event": 1000,
      "time_ns": 4000,
      "live_objects": 900,
      "live_bytes": 50400,
      "gc_count": [
        300,
        0,
        0
      ],
      "cyclic_garbage_bytes": 0,
      "garbage_measured_at": 1000
    },
    {
      "event": 1234,
      "time_ns": 9500,
      "live_objects": 8,
      "live_bytes": 640,
      "gc_count": [
        5,
        1,
        0
      ],
      "cyclic_garbage_bytes": 112,
      "garbage_measured_at": 1234
    }
  ],
  "leak_groups": [
    {
      "reason": "uncollectable",
      "garbage": true,
      "site": "app.py:12",
      "type": "Node",
      "objects": 2,
      "bytes": 112,
      "alive_at_quarters": [
        0,
        1,
        1,
        2
      ],
      "growing": false,
      "example": "n1",
      "path": [
        {
          "id": "n1",
          "type": "Node"
        },
        {
          "id": "n2",
          "type": "Node",
          "key": "next"
        },
        {
          "id": "n1",
          "type": "Node",
          "key": "prev"
        }
      ],
      "finalizer": "n1"
    },
    {
      "reason": "live-at-end",
      "garbage": false,
      "site": "",
      "type": "list",
      "objects": 1,
      "bytes": 88,
      "held_by": "cache",
      "alive_at_quarters": [
        1,
        1,
        1,
        1
      ],
      "growing": false,
      "example": "c",
      "path": [
        {
          "name": "cache"
        },
        {
          "id": "c",
          "type": "list"
        }
      ]
    }
  ],
  "garbage": {
    "objects": 2,
    "bytes": 112
  },
  "reachable_at_end": {
    "objects": 1,
    "bytes": 88
  },
  "skipped_events": {
    "unknown-id": 3
  },
  "skipped_event_lines": {
    "unknown-id": [
      17,
      40,
      41
    ]
  },
  "pause_model": {
    "name": "builtin-2025",
    "source": "constants of docs/model.md, not measured"
  },
  "expect_failures": [
    {
      "event": 1233,
      "line": 1240,
      "message": "expect freed n1: object is alive"
    }
  ],
  "peaks": {
    "live_bytes": {
      "event": 1000,
      "value": 50400
    },
    "cyclic_garbage_bytes": {
      "event": 1200,
      "value": 112
    }
  },
  "at_peak": {
    "event": 1000,
    "live_bytes": 50400,
    "by_site": [
      {
        "type": "Node",
        "site": "app.py:12",
        "objects": 900,
        "bytes": 50400
      }
    ]
  },
  "temporaries": [
    {
      "type": "str",
      "site": "app.py:3",
      "objects": 400,
      "bytes": 22400
    }
  ],
  "temporary_window_events": 8,
  "what_if": [
    {
      "what": "__slots__",
      "type": "Node",
      "objects": 900,
      "attributes": 2,
      "bytes": 50400,
      "bytes_saved": 7200
    }
  ],
  "garbage_marking": {
    "marks": 2,
    "visits": 1810,
    "samples_carried": 0
  }
}
)";
    CHECK(render(write_json_report, test::sample_result()) == expected);
}

TEST_CASE("an empty run still has every core field, as empty arrays and objects") {
    RunResult r;
    r.trace_path = "-";
    r.policy = "refcount";
    const auto j = report_json(r);
    std::vector<std::string> keys;
    for (const auto& [key, value] : j.items()) keys.push_back(key);
    CHECK(keys == std::vector<std::string>{
                      "schema", "trace", "policy", "summary", "collections", "weakref_callbacks",
                      "finalizers", "leaks", "pauses", "promotions", "timeline", "leak_groups",
                      "garbage", "reachable_at_end", "skipped_events", "pause_model", "expect_failures",
                      "peaks", "at_peak", "temporaries", "temporary_window_events", "what_if",
                      "garbage_marking"});
    CHECK(j["promotions"]["survivor_age"].is_array());
    CHECK(j["promotions"]["by_site"].is_array());
    CHECK(j["collections"].is_array());
    CHECK(j["collections"].empty());
    CHECK(j["skipped_events"].is_object());
    CHECK(j["trace"]["path"] == "-");
}

TEST_CASE("invalid UTF-8 in a site label does not break the JSON report") {
    RunResult r = test::sample_result();
    r.leaks[0].site = "bad\xff" "site";
    const std::string out = render(write_json_report, r);
    CHECK(contains(out, "\"site\": \"bad\xEF\xBF\xBDsite\""));
}

TEST_CASE("the JSON report is byte-identical for the same result") {
    const RunResult r = test::sample_result();
    CHECK(render(write_json_report, r) == render(write_json_report, r));
    CHECK(render(write_text_report, r) == render(write_text_report, r));
}

TEST_CASE("the text summary has the lines a person looks for") {
    const std::string text = render(write_text_report, test::sample_result());
    CHECK(text.rfind("heapsim run: traces/sample.trace\n", 0) == 0);
    CHECK(contains(text,
                   "  policy              cpython-3.11 (thresholds 700, 10, 10)\n"
                   "  provenance          verified against interpreter 3.11.7\n"
                   "  threshold events    1 applied; in force at the end: 1000, 10, 10\n"));
    CHECK(contains(text, "  events              1,234\n"));
    CHECK(contains(text, "  allocated               1,500\n"));
    CHECK(contains(text, "  freed by refcount       1,400\n"));
    CHECK(contains(text, "  collected by gc            90\n"));
    CHECK(contains(text, "  uncollectable               2\n"));
    CHECK(contains(text, "  live at end                 8   640 B\n"));
    CHECK(contains(text, "  peak live               1,200   1.46 MiB\n"));
    CHECK(contains(text, "  gc.get_count()      (5, 1, 0)\n"));
    CHECK(contains(text, "Collections                  gen0       gen1       gen2        all\n"));
    CHECK(contains(text, "  count                         1          0          1          2\n"));
    CHECK(contains(text, "  pause p99               42.0 µs       0 ns    1.50 ms    1.50 ms\n"));
    CHECK(contains(text, "  promoted            661 gen0→gen1, 0 gen1→gen2\n"));
    CHECK(contains(text,
                   "  pause total             42.0 µs       0 ns    1.50 ms    1.54 ms\n"
                   "  (pauses are modelled from the objects each collection examines and frees, "
                   "not measured)\n"));
    // Garbage and what is merely still reachable are separate sections; the
    // reachable groups name their root.
    CHECK(contains(
        text,
        "\nGarbage: 2 objects, 112 B in 1 group (unreachable or never stored: leaks; by reason, "
        "site, type)\n"
        "  reason          objects       bytes  type  site       growth\n"
        "  uncollectable         2       112 B  Node  app.py:12  0 1 1 2\n"));
    CHECK(contains(text,
                   "\nStill reachable at end: 1 object, 88 B in 1 group (by root, site, type; "
                   "growth: alive at "
                   "1/4, 1/2, 3/4, end)\n"
                   "  held by   objects       bytes  type  site       growth\n"
                   "  cache           1        88 B  list  (no site)  1 1 1 1\n"));
    CHECK(contains(text, "  found unreachable   90 collected, 2 uncollectable\n"));
    CHECK(contains(text, "  weakref callbacks   1\n"));
    CHECK(contains(text, "  finalizers run      1\n"));
    CHECK(contains(text, "  expect failures     1\n    line 1240 (event 1233): expect freed n1: object is alive\n"));
    CHECK(contains(text, "  skipped events      3 (unknown-id: 3 (lines 17, 40, 41))\n"));
}

TEST_CASE(
    "the text summary lists the top 10 leak groups per section, then how many more; --top N "
    "changes 10") {
    RunResult r = test::sample_result();
    r.leak_groups.clear();
    for (int i = 12; i >= 0; --i) {  // largest first, as the simulator orders them
        const auto n = static_cast<std::uint64_t>(i + 1);
        r.leak_groups.push_back(
            {LeakReason::Cycle, "site" + std::to_string(i), "T", n, 100 * n, "", {{n, n, n, n}}, "", {}, ""});
    }
    const std::string text = render(write_text_report, r);
    CHECK(contains(text, "site12  "));  // largest
    CHECK(contains(text, "site3   "));  // tenth largest
    CHECK_FALSE(contains(text, "site2  "));
    CHECK(contains(text, "  … and 3 more groups (6 objects; --top N lists more)\n"));
    CHECK(contains(text, "\nStill reachable at end: none\n"));
    std::ostringstream top3, all;
    write_text_report(r, top3, ReportOptions{3});
    CHECK(contains(top3.str(), "site10  "));
    CHECK_FALSE(contains(top3.str(), "site9  "));
    CHECK(contains(top3.str(), "  … and 10 more groups (55 objects; --top N lists more)\n"));
    write_text_report(r, all, ReportOptions{0});
    CHECK(contains(all.str(), "site0   "));
    CHECK_FALSE(contains(all.str(), "more groups"));
}

TEST_CASE("a group alive in more objects at every quarter point is flagged as growing") {
    LeakGroup g;
    g.alive_at_quarters = {5, 15, 24, 34};
    CHECK(g.growing());
    g.alive_at_quarters = {900, 900, 900, 900};
    CHECK_FALSE(g.growing());
    g.alive_at_quarters = {0, 0, 0, 40};  // created late, at once: not steady growth
    CHECK_FALSE(g.growing());
    RunResult r = test::sample_result();
    r.leak_groups[1].alive_at_quarters = {1, 2, 3, 4};
    r.leak_groups[1].objects = 4;
    const std::string text = render(write_text_report, r);
    CHECK(contains(text, "  cache           4        88 B  list  (no site)  1 2 3 4  growing\n"));
    const std::string md = render(write_markdown_report, r);
    CHECK(contains(md, "| `cache` |  | `list` | 4 | 88 B | 1 2 3 4 **growing** |\n"));
}

TEST_CASE("a run without collections or leaks says so") {
    RunResult r;
    r.trace_path = "-";
    r.policy = "refcount";
    const std::string text = render(write_text_report, r);
    CHECK(text.rfind("heapsim run: <stdin>\n", 0) == 0);
    CHECK(contains(text, "\nCollections: none\n"));
    CHECK(contains(text, "\nGarbage: none\n"));
    CHECK(contains(text, "\nStill reachable at end: none\n"));
    CHECK(contains(text, "  expect failures     none\n"));
    CHECK_FALSE(contains(text, "skipped events"));
}

TEST_CASE("the CSV report has a header and one row per collection") {
    const std::string csv = render(write_csv_report, test::sample_result());
    const std::string header =
        "seq,event,time_ns,generation,trigger,collected,uncollectable,scanned,promoted,pause_ns,"
        "bytes_freed,"
        "threshold0,threshold1,threshold2,threshold_events\n";
    CHECK(csv == header +
                     "1,703,5000,0,threshold,40,0,701,661,42000,2240,700,10,10,0\n"
                     "2,1230,9000,2,collect,50,2,1100,0,1500000,2800,1000,10,10,1\n");
    CHECK(render(write_csv_report, RunResult{}) == header);
}

TEST_CASE("the markdown report is a compact table") {
    RunResult r = test::sample_result();
    r.leak_groups[1].site = "a|b";  // the live-at-end group
    const std::string md = render(write_markdown_report, r);
    CHECK(md.rfind("### heapsim run `traces/sample.trace`\n\n", 0) == 0);
    CHECK(contains(
        md,
        "| `cpython-3.11` 700/10/10; threshold events: 1 applied; in force at the end: 1000, 10, "
        "10 | 1,234 | 1,500 | 90 | 2 | 2 (112 B) | 1 (88 B) | 1,200 (1.46 MiB) | 1/0/1 "
        "| 1.50 ms | 1.50 ms | **1** |\n"));
    CHECK(contains(md,
                   "\n**Garbage** (unreachable or never stored: leaks)\n\n"
                   "| reason | site | type | objects | bytes | alive at 1/4, 1/2, 3/4, end |\n"
                   "|---|---|---|--:|--:|---|\n"
                   "| uncollectable | `app.py:12` | `Node` | 2 | 112 B | 0 1 1 2 |\n"));
    CHECK(contains(md,
                   "\n**Still reachable at end**\n\n"
                   "| held by | site | type | objects | bytes | alive at 1/4, 1/2, 3/4, end |\n"
                   "|---|---|---|--:|--:|---|\n"
                   "| `cache` | `a\\|b` | `list` | 1 | 88 B | 1 1 1 1 |\n"));
    CHECK(contains(md, "- line 1240: expect freed n1: object is alive\n"));
}

TEST_CASE("write_report dispatches on the format") {
    const RunResult r = test::sample_result();
    std::ostringstream csv, json;
    write_report(find_report_format("csv"), r, csv);
    write_report(find_report_format("json"), r, json);
    CHECK(csv.str() == render(write_csv_report, r));
    CHECK(json.str() == render(write_json_report, r));
}
