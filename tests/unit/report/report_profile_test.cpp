// The profile sections of the human reports and the CSV tables.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "report/report.h"
#include "report/report_profile.h"
#include "sample_result.h"

namespace heapsim {
namespace {

std::size_t columns(const std::string& s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

RetentionStep obj(const std::string& type, const std::string& id, const std::string& key = "") {
    return RetentionStep{"", id, type, key, !key.empty(), 0};
}

}  // namespace

TEST_CASE("path_text: keys after the object that holds them, names first, elisions counted") {
    const RetentionPath p = {RetentionStep{"cache", "", "", "", false, 0}, obj("dict", "c"),
                             obj("list", "u", "users"), obj("Session", "s1"),
                             obj("Node", "n1", "root")};
    CHECK(path_text(p) == "cache → dict c ['users'] → list u → Session s1 ['root'] → Node n1");
    RetentionStep gap;
    gap.elided = 1200;
    CHECK(path_text({obj("list", "a"), gap, obj("list", "z", "k")}) ==
          "list a → … 1,200 more … → list z");
    CHECK(path_text({}) == "");
}

TEST_CASE("wrap_path breaks after arrows within the width") {
    std::string text;
    for (int i = 0; i < 40; ++i)
        text += (i ? " → " : "") + std::string("list l") + std::to_string(i);
    const std::string wrapped = wrap_path(text, 4, 6, 100);
    std::istringstream lines(wrapped);
    std::string line;
    int n = 0;
    for (bool first = true; std::getline(lines, line); first = false, ++n) {
        CHECK(columns(line) + (first ? 4 : 0) <= 100);
        if (!first) CHECK(line.rfind("      list", 0) == 0);
    }
    CHECK(n > 1);
}

TEST_CASE("the text report's profile sections fit in 100 columns") {
    RunResult r = test::sample_result();
    r.profile.at_peak.by_site[0].site = std::string(150, 's');
    std::ostringstream out;
    write_text_report(r, out);
    const std::string text = out.str();
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        // (the leak sections' headings are older than this rule)
        if (line.rfind("Still reachable at end:", 0) == 0) continue;
        CHECK_MESSAGE(columns(line) <= 100, line);
    }
    CHECK(text.find("Node n1 ['next'] → Node n2 ['prev'] → Node n1") != std::string::npos);
    CHECK(text.find("kept by the legacy finalizer of n1") != std::string::npos);
    CHECK(text.find("peak cyclic garbage 112 B at event 1,200") != std::string::npos);
    CHECK(text.find("Node with __slots__ (2 attributes): saves 7.03 KiB") != std::string::npos);
}

TEST_CASE("CSV tables: one per --table name, text fields quoted") {
    RunResult r = test::sample_result();
    r.leaks[2].site = "a,b";
    const auto table = [&](const std::string& name) {
        std::ostringstream out;
        write_csv_table(r, name, out);
        return out.str();
    };
    CHECK(table("collections").rfind("seq,event,time_ns,", 0) == 0);
    CHECK(table("timeline") ==
          "event,time_ns,live_objects,live_bytes,cyclic_garbage_bytes,garbage_measured_at,count0,"
          "count1,count2\n1000,4000,900,50400,0,1000,300,0,0\n1234,9500,8,640,112,1234,5,1,0\n");
    CHECK(table("leaks").find("c,list,\"a,b\",88,live-at-end,cache,,cache → list c\n") !=
          std::string::npos);
    CHECK(table("promotions") == "type,site,promoted\nNode,app.py:12,600\n");
    CHECK(table("survivor-ages") ==
          "type,site,age,died,live_at_end\n,,0,1400,5\n,,1,90,3\nNode,app.py:12,1,90,2\n");
    CHECK(table("at-peak") == "type,site,objects,bytes\nNode,app.py:12,900,50400\n");
    CHECK(table("temporaries") == "type,site,objects,bytes\nstr,app.py:3,400,22400\n");
    CHECK(is_csv_table("leak-groups"));
    CHECK_FALSE(is_csv_table("nope"));
    CHECK(csv_table_names() ==
          "collections, timeline, leaks, leak-groups, survivor-ages, promotions, at-peak, "
          "temporaries");
}

}  // namespace heapsim
