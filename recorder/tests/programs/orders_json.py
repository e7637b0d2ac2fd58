"""JSON batches decoded into instances with back-references (order ->
customer -> orders), some kept, most dropped as cycles."""
import json
import random

from _harness import run


class Customer:
    def __init__(self, name):
        self.name = name
        self.orders = []


class Order:
    def __init__(self, data, customer):
        self.id = data["id"]
        self.lines = [Line(l, self) for l in data["lines"]]
        self.customer = customer
        customer.orders.append(self)


class Line:
    def __init__(self, data, order):
        self.sku = data["sku"]
        self.qty = data["qty"]
        self.order = order


def workload():
    rng = random.Random(7)
    kept = []
    for batch in range(60):
        payload = json.dumps([{"id": i, "customer": rng.randrange(20),
                               "lines": [{"sku": "s%d" % rng.randrange(50), "qty": rng.randrange(1, 9)}
                                         for _ in range(rng.randrange(1, 6))]}
                              for i in range(80)])
        customers = {}
        for data in json.loads(payload):
            c = customers.setdefault(data["customer"], Customer("c%d" % data["customer"]))
            Order(data, c)
        if batch % 7 == 0:
            kept.append(customers)
        if len(kept) > 4:
            kept.pop(0)


if __name__ == "__main__":
    run(workload)
