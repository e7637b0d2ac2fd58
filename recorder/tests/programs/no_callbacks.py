"""A program that registers no gc.callbacks of its own (run with python -m
heapsim_record): JSON batches into instances with back-references, most
dropped as cycles. The recording's own collection records are the truth
(tests/recorder/no_callbacks.sh)."""
import json


class Order:
    def __init__(self, data):
        self.lines = [dict(line, order=self) for line in data["lines"]]


payload = json.dumps([{"lines": [{"sku": i, "qty": 2}, {"sku": i + 1}]} for i in range(60)])
kept = []
for batch in range(120):
    orders = [Order(d) for d in json.loads(payload)]
    if batch % 10 == 0:
        kept.append(orders[0])
