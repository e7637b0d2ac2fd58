"""The orders workload of the recorder suite, larger, for measuring the
recorder's cost: `python orders_bench.py [OUT [SNAPSHOT_EVERY [BATCHES]]]`
runs it (recording to OUT when given, with a young-generation snapshot every
SNAPSHOT_EVERY GC allocations when that is not 0; 600 batches unless
BATCHES) and prints CPU seconds and the recorder's summary as JSON."""
import json
import random
import sys
import time

sys.path.insert(0, __file__.rsplit("/bench/", 1)[0] + "/recorder/tests/programs")
import orders_json  # noqa: E402  (defines the classes; its run() needs argv)


def workload(batches):
    rng = random.Random(7)
    kept = []
    for batch in range(batches):
        payload = json.dumps([{"id": i, "customer": rng.randrange(20),
                               "lines": [{"sku": "s%d" % rng.randrange(50), "qty": rng.randrange(1, 9)}
                                         for _ in range(rng.randrange(1, 6))]}
                              for i in range(80)])
        customers = {}
        for data in json.loads(payload):
            c = customers.setdefault(data["customer"], orders_json.Customer("c%d" % data["customer"]))
            orders_json.Order(data, c)
        if batch % 7 == 0:
            kept.append(customers)
        if len(kept) > 4:
            kept.pop(0)


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else None
    every = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    batches = int(sys.argv[3]) if len(sys.argv) > 3 else 600
    summary = None
    t0 = time.process_time()
    if out:
        import heapsim_record
        heapsim_record.start(out, snapshot_every=every)
        workload(batches)
        summary = heapsim_record.stop()
    else:
        workload(batches)
    print(json.dumps({"cpu_s": time.process_time() - t0, "recorder": summary}))
