// `gen --profile web`: a request-serving process, the benchmark workload.
//
// Module state built once and frozen (gc.freeze() before serving, as
// pre-forking servers do): an app object with its config and routes, a stats
// dict and an access-log ring. Then requests arrive at random gaps. Each
// request binds a Request (method, path, headers, query), a Handler that
// points back to it, makes a burst of short-lived temporaries (strings,
// tuples, lists, dicts, model instances) that reference counting frees at
// once, binds a Response, updates the stats and the log (the replaced values
// die), and lets go of everything: mostly reference counting, like a real
// service. A few requests leave garbage cycles that only the collector frees:
// a request <-> handler back-pointer, or an exception whose traceback's frame
// locals refer back to the exception (and sometimes to the request). Every
// 2000 requests the service calls gc.collect(), after which the
// generator reuses the ids of those cycles; so the live set, and the number
// of distinct ids, stay bounded for any trace length.
#include <ostream>
#include <vector>

#include "workloads/seeded_rng.h"
#include "workloads/workload.h"
#include "workloads/workload_writer.h"

namespace heapsim {
namespace {

using workload::Id;
using workload::WorkloadWriter;
using workload::Tok;

constexpr std::uint64_t kRequestsPerCollect = 2000;  // the service's own gc.collect()
constexpr std::uint64_t kMaxDeferred = 6000;        // or sooner, if garbage piles up
constexpr std::uint64_t kLogSlots = 32;
constexpr std::uint64_t kSalt = 0x77656200;  // "web": profiles differ for one seed

class WebWorkload {
  public:
    WebWorkload(const WorkloadOptions& options, std::ostream& out)
        : options_(options), w_(out), rng_(options.seed ^ kSalt) {}

    WorkloadStats run();

  private:
    void step() { w_.tick(rng_.range(60, 900)); }  // one statement of Python
    Id atom(std::string_view site) { return w_.alloc(rng_.percent(60) ? "str" : "int", {}, site); }
    void own(Id id) { unit_.push_back(id); }
    void release_all(std::vector<Id>& ids, bool garbage_cycle);

    void setup();
    void request();
    void build_request(Id req);
    void temporaries(Id req);
    void temporary();
    void exception(Id req, Id handler);
    void response(Id req);
    void bump(Tok key, Id& value);
    void log_line();
    void finish();

    WorkloadOptions options_;
    WorkloadWriter w_;
    SeededRng rng_;
    WorkloadStats stats_;

    Id app_ = 0, stats_dict_ = 0, log_ = 0;
    Id counters_[3] = {};  // stats: requests, bytes, errors
    Id log_entries_[kLogSlots] = {};
    std::uint64_t requests_ = 0;

    // The current request: objects that die with it, objects that die with
    // the response, and whether a garbage cycle keeps the request's graph.
    std::vector<Id> unit_;
    std::vector<Id> response_;
    std::vector<Id> scratch_;
    bool cyclic_ = false;
    bool user_set_ = false;
};

void WebWorkload::release_all(std::vector<Id>& ids, bool garbage_cycle) {
    for (const Id id : ids) garbage_cycle ? w_.defer(id) : w_.release(id);
    ids.clear();
}

void WebWorkload::setup() {
    w_.raw_line("# heapsim workload trace: profile web, seed " + std::to_string(options_.seed) +
                ", events " + std::to_string(options_.events));
    w_.raw_line("heaptrace 1");
    w_.raw_line(kEndRecordPromise);
    for (const char* t : {"App instance", "Request instance", "Response instance",
                          "Handler instance", "Model instance", "Error instance",
                          "Traceback instance slots=2", "Frame instance slots=2",
                          "Span instance finalizer"})
        w_.type(t);
    step();
    app_ = w_.alloc("App", {}, "web/app.py:5");
    w_.bind("app", app_);
    const Id config = w_.alloc("dict", {}, "web/config.py:12");
    for (std::uint64_t i = 0; i < 4; ++i) w_.set(config, Tok("opt", i), atom("web/config.py:13"));
    w_.set(app_, "config", config);
    const Id routes = w_.alloc("dict", {}, "web/routing.py:20");
    for (std::uint64_t i = 0; i < 6; ++i)
        w_.set(routes, Tok("r", i), w_.alloc("function", {}, "web/views.py:1"));
    w_.set(app_, "routes", routes);
    stats_dict_ = w_.alloc("dict", {}, "web/metrics.py:8");
    w_.bind("stats", stats_dict_);
    log_ = w_.alloc("dict", {}, "web/log.py:15");
    w_.bind("access_log", log_);
    w_.gc("freeze");  // nothing is deferred yet, so frozen objects never need a collect
}

void WebWorkload::request() {
    // Arrivals: mostly spread out, sometimes in bursts.
    w_.tick(rng_.percent(20) ? rng_.range(500, 5000) : rng_.range(20000, 400000));
    cyclic_ = false;
    user_set_ = false;
    const Id req = w_.alloc("Request", {}, "web/server.py:52");
    w_.bind("req", req);
    own(req);
    build_request(req);
    step();
    const Id handler = w_.alloc("Handler", {}, "web/views.py:17");
    w_.bind("handler", handler);
    own(handler);
    w_.set(handler, "request", req);
    if (rng_.percent(5)) {  // the handler keeps itself on the request: a cycle
        w_.set(req, "handler", handler);
        cyclic_ = true;
    }
    Id span = 0;
    if (rng_.percent(8)) {  // a tracing span with __del__
        span = w_.alloc("Span", {}, "web/tracing.py:40");
        w_.bind("span", span);
    }
    temporaries(req);
    if (rng_.percent(3)) exception(req, handler);
    response(req);
    bump(Tok("requests"), counters_[0]);
    if (rng_.percent(50)) bump(Tok("bytes"), counters_[1]);
    log_line();
    step();
    if (span != 0) {
        w_.unbind("span");
        w_.release(span);
    }
    w_.unbind("handler");
    w_.unbind("resp");
    w_.unbind("req");
    release_all(response_, false);  // freed at `unbind resp` if the request did not keep it
    release_all(unit_, cyclic_);
    if (++requests_ % kRequestsPerCollect == 0 || w_.deferred() >= kMaxDeferred) {
        w_.tick(rng_.range(50000, 300000));
        w_.collect(2);
    }
}

/// Fills in a bound request bottom up: each part is built while it can
/// still be named, then stored.
void WebWorkload::build_request(Id req) {
    step();
    const Id method = w_.alloc("str", {}, "web/http.py:30");
    w_.set(req, "method", method);
    const Id path = w_.alloc("str", {}, "web/http.py:31");
    w_.set(req, "path", path);
    own(method);
    own(path);
    step();
    const Id headers = w_.alloc("dict", {}, "web/http.py:41");
    const auto n = rng_.range(2, 6);
    for (std::uint64_t i = 0; i < n; ++i) {
        const Id value = w_.alloc("str", {}, "web/http.py:44");
        w_.set(headers, Tok("h", i), value);
        own(value);
    }
    w_.set(req, "headers", headers);
    own(headers);
    if (rng_.percent(60)) {
        step();
        const Id query = w_.alloc("dict", {}, "web/http.py:50");
        const auto q = rng_.range(1, 3);
        for (std::uint64_t i = 0; i < q; ++i) {
            const Id value = atom("web/http.py:52");
            w_.set(query, Tok("q", i), value);
            own(value);
        }
        w_.set(req, "query", query);
        own(query);
    }
    w_.set(req, "app", app_);  // a reference to long-lived state
}

void WebWorkload::temporaries(Id req) {
    const auto n = rng_.range(4, 20);
    for (std::uint64_t i = 0; i < n; ++i) {
        step();
        if (!user_set_ && rng_.percent(8)) {  // the request keeps a loaded model
            const Id user = w_.alloc("Model", {}, "app/models.py:12");
            const Id id = w_.alloc("int", {}, "app/models.py:13");
            w_.set(user, "id", id);
            w_.set(req, "user", user);
            own(user);
            own(id);
            user_set_ = true;
            continue;
        }
        temporary();
    }
}

/// One short-lived value, dropped at once: freed by reference counting.
void WebWorkload::temporary() {
    const auto r = rng_.below(100);
    if (r < 30) {
        scratch_.push_back(w_.alloc("str", {}, "app/views.py:60"));
    } else if (r < 50) {  // f(a, b): an argument tuple
        const Id a = atom("app/views.py:64");
        const Id b = atom("app/views.py:64");
        scratch_.assign({w_.alloc("tuple", {a, b}, "app/views.py:64"), a, b});
    } else if (r < 65) {  // [x for x in ...]
        std::vector<Id>& items = scratch_;
        const auto k = rng_.range(1, 3);
        for (std::uint64_t i = 0; i < k; ++i) items.push_back(atom("app/views.py:70"));
        const Id list = w_.alloc_refs("list", items, "app/views.py:70");
        items.push_back(list);
        std::swap(items.front(), items.back());
    } else if (r < 80) {  // {k: v}
        const Id dict = w_.alloc("dict", {}, "app/views.py:75");
        scratch_.push_back(dict);
        const auto k = rng_.range(1, 3);
        for (std::uint64_t i = 0; i < k; ++i) {
            const Id v = atom("app/views.py:75");
            w_.set(dict, Tok("f", i), v);
            scratch_.push_back(v);
        }
    } else {  // a model instance used and thrown away
        const Id model = w_.alloc("Model", {}, "app/models.py:12");
        const Id id = w_.alloc("int", {}, "app/models.py:13");
        w_.set(model, "id", id);
        scratch_.assign({model, id});
    }
    w_.drop(scratch_.front());  // the outermost object: the rest dies with it
    release_all(scratch_, false);
}

/// raise inside the handler, caught: Error -> Traceback -> Frame -> locals
/// -> Error, a cycle. The locals hold the handler (`self`), which holds the
/// request, so the whole request waits for the collector too.
void WebWorkload::exception(Id req, Id handler) {
    step();
    const Id error = w_.alloc("Error", {}, "app/views.py:90");
    w_.bind("exc", error);
    const Id message = w_.alloc("str", {}, "app/views.py:90");
    w_.set(error, "args", message);
    const Id locals = w_.alloc("dict", {}, "app/views.py:88");
    w_.set(locals, "exc", error);
    w_.set(locals, "self", handler);
    if (rng_.percent(50)) w_.set(locals, "request", req);
    cyclic_ = true;  // the handler (and so the request) is held by the cycle
    const Id frame = w_.alloc("Frame", {}, "app/views.py:88");
    w_.set(frame, "f_locals", locals);
    const Id tb = w_.alloc("Traceback", {}, "app/views.py:88");
    w_.set(tb, "tb_frame", frame);
    w_.set(error, "tb", tb);
    w_.unbind("exc");
    for (const Id id : {error, message, locals, frame, tb}) w_.defer(id);
    if (rng_.percent(50)) bump(Tok("errors"), counters_[2]);
}

void WebWorkload::response(Id req) {
    step();
    const Id resp = w_.alloc("Response", {}, "web/response.py:20");
    w_.bind("resp", resp);
    const Id body = w_.alloc("str", {}, "web/response.py:22");
    w_.set(resp, "body", body);
    const Id status = w_.alloc("int", {}, "web/response.py:23");
    w_.set(resp, "status", status);
    const Id name = w_.alloc("str", {}, "web/response.py:25");
    const Id value = w_.alloc("str", {}, "web/response.py:25");
    const Id header = w_.alloc("tuple", {name, value}, "web/response.py:25");
    const Id headers = w_.alloc("list", {header}, "web/response.py:25");
    w_.set(resp, "headers", headers);
    std::vector<Id>& owner = rng_.percent(50) ? unit_ : response_;
    if (&owner == &unit_) w_.set(req, "response", resp);
    for (const Id id : {resp, body, status, name, value, header, headers}) owner.push_back(id);
}

/// stats[key] = new int: the old value dies.
void WebWorkload::bump(Tok key, Id& value) {
    step();
    const Id next = w_.alloc("int", {}, "web/metrics.py:30");
    w_.set(stats_dict_, key, next);
    if (value != 0) w_.release(value);
    value = next;
}

void WebWorkload::log_line() {
    step();
    const std::uint64_t slot = requests_ % kLogSlots;
    const Id line = w_.alloc("str", {}, "web/log.py:22");
    w_.set(log_, Tok("e", slot), line);
    if (log_entries_[slot] != 0) w_.release(log_entries_[slot]);
    log_entries_[slot] = line;
}

/// A last full collection leaves the counts at zero, so nothing a replayer
/// does after the last event can start a collection the trace did not ask for.
void WebWorkload::finish() {
    w_.tick(rng_.range(50000, 300000));
    w_.collect(2);
}

WorkloadStats WebWorkload::run() {
    setup();
    while (w_.events() < options_.events) {
        request();
        stats_.peak_tracked = std::max(stats_.peak_tracked, w_.tracked());
    }
    finish();
    w_.finish(stats_);
    return stats_;
}

}  // namespace

WorkloadStats write_web_trace(const WorkloadOptions& options, std::ostream& out) {
    return WebWorkload(options, out).run();
}

}  // namespace heapsim
