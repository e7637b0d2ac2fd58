#!/usr/bin/env python3
"""A page from report/report.html around the web_service JSON golden plus
every field the report schema lets reporters add and the page can draw,
in the shapes docs/report.md gives them (cyclic garbage in the timeline,
survivor ages and promotions by site, the peak, temporaries, retention
paths), so the browser test checks that the page draws them before any run
writes them all.

    future_report.py OUT.html      (from the repository root)
"""
import json
import sys

doc = json.load(open("tests/golden/web_service.trace.json", encoding="utf-8"))
for i, t in enumerate(doc["timeline"]):
    t["cyclic_garbage_bytes"] = (i % 97) * 64
doc["promotions"] = {
    "total": 254,
    "survivor_age": [{"age": a, "died": max(0, 300 - 90 * a), "live_at_end": 40 * a} for a in range(4)],
    "by_site": [{"type": "dict", "site": "app/templates.py:34", "promoted": 200,
                 "survivor_age": [{"age": 1, "died": 0, "live_at_end": 200}]},
                {"type": "Session", "site": "app/sessions.py:40", "promoted": 54, "survivor_age": []}],
}
doc["at_peak"] = {"event": 12000, "live_bytes": 86016,
                  "by_site": [{"type": "dict", "site": "app/templates.py:34", "objects": 900, "bytes": 57600}]}
doc["temporaries"] = [{"type": "list", "site": "app/middleware.py:73", "objects": 700, "bytes": 39200}]
doc["leaks"][0]["path"] = [{"name": "cache"}, {"id": "c", "type": "dict"},
                           {"id": "u", "type": "list", "key": "users"},
                           {"id": "s1", "type": "Session", "key": "3"},
                           {"id": "n1", "type": "Node", "key": "root"}]
# A long run's thinned page (report/html_data.cpp): fewer collections
# embedded than ran, the histogram and promotions counted over all of them.
doc["html"] = {"collections": 300000, "collections_embedded": len(doc["collections"]),
               "pause_histogram": {"lo_ns": 5000, "hi_ns": 900000, "log": True,
                                   "bins": [[12000 - 400 * i, 30 * i, i % 3] for i in range(24)]},
               "promoted_groups": [{"first": 2500 * i, "last": 2500 * i + 2499, "sum": 100 + i}
                                   for i in range(120)],
               "leaks": len(doc["leaks"]), "leaks_embedded": min(200, len(doc["leaks"]))}
doc["leaks"] = doc["leaks"][:200]
template = open("report/report.html", encoding="utf-8").read()
data = json.dumps(doc).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write(template.replace("@HEAPSIM_REPORT_JSON@", data))
