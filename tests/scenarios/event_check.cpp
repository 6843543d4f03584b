// event_check [--detail] LOG EVENTS: checks a scenario's event stream (pc386 run --events EVENTS,
// JSON Lines) against what the run printed in LOG: the guest's own counters (the `meminfo`
// program's `key value` lines) and the machine's (--stats).
//
//   guest counters   each counter has one event per increment (the kernel emits it beside the
//                    increment), so up to the moment meminfo took its snapshot the counts agree.
//                    That moment is taken as the exit of the last `meminfo` process (it makes no
//                    fork, exec, kill or page fault after its snapshot).
//   --stats          over the whole run (events start at power-on, no filter): exceptions
//                    delivered == exception events, hardware interrupts == interrupt events,
//                    sectors read/written per disk == the sum of the disk events' sectors.
//   consistency      a cow-copy's old and new frames differ; every swap-in's slot was swapped
//                    out before; the allocator events (buddy, slab) appear only with --detail,
//                    and then only between the two `evdetail` programs of the scenario.
// Prints one summary line and every failed check; exit status 0 (all hold) or 1.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace {

using json = nlohmann::json;

struct Ev {
    std::string kind;
    json j;
    uint64_t field(const char* name) const { return j.value(name, uint64_t{0}); }
};

int failures = 0;

void expect_eq(const std::string& what, uint64_t events, uint64_t counted) {
    if (events == counted) return;
    std::printf("mismatch: %s: %llu events, counter %llu\n", what.c_str(),
                static_cast<unsigned long long>(events), static_cast<unsigned long long>(counted));
    ++failures;
}

void fail(const std::string& why) {
    std::printf("%s\n", why.c_str());
    ++failures;
}

}  // namespace

int main(int argc, char** argv) {
    bool detail = false;
    std::vector<std::string> paths;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--detail")
            detail = true;
        else
            paths.emplace_back(argv[i]);
    }
    if (paths.size() != 2) {
        std::fprintf(stderr, "usage: event_check [--detail] LOG EVENTS\n");
        return 2;
    }

    // The log: the last `key number` line per key, and the --stats lines.
    std::map<std::string, uint64_t> counter;
    std::map<unsigned, std::pair<uint64_t, uint64_t>> disk_stats;  // unit -> read, written
    uint64_t exceptions_delivered = 0, hardware_interrupts = 0;
    bool have_stats = false;
    {
        std::ifstream log(paths[0]);
        if (!log) {
            std::printf("cannot read %s\n", paths[0].c_str());
            return 1;
        }
        const std::regex kv(R"(^([a-z_0-9]+) ([0-9]+)\r?$)");
        const std::regex irq(R"(^interrupts: ([0-9]+) hardware, ([0-9]+) exceptions delivered)");
        const std::regex disk(R"(^disk ([0-9]): ([0-9]+) sectors read, ([0-9]+) written)");
        std::string line;
        std::smatch m;
        while (std::getline(log, line)) {
            if (std::regex_match(line, m, kv)) {
                counter[m[1]] = std::stoull(m[2]);
            } else if (std::regex_search(line, m, irq)) {
                hardware_interrupts = std::stoull(m[1]);
                exceptions_delivered = std::stoull(m[2]);
                have_stats = true;
            } else if (std::regex_search(line, m, disk)) {
                disk_stats[static_cast<unsigned>(std::stoul(m[1]))] = {std::stoull(m[2]), std::stoull(m[3])};
            }
        }
    }
    if (!have_stats) fail("no --stats report in the log");

    std::vector<Ev> events;
    {
        std::ifstream in(paths[1]);
        if (!in) {
            std::printf("cannot read %s\n", paths[1].c_str());
            return 1;
        }
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            Ev e;
            e.j = json::parse(line, nullptr, false);
            if (e.j.is_discarded() || !e.j.contains("kind")) {
                fail("not a JSON event: " + line);
                continue;
            }
            e.kind = e.j["kind"].get<std::string>();
            events.push_back(std::move(e));
        }
    }

    // The cut: the exit of the last meminfo process.
    size_t cut = events.size();
    bool found_meminfo = false;
    for (size_t i = events.size(); i-- > 0;) {
        const Ev& e = events[i];
        if (e.kind != "exec" || e.j.value("name", std::string()) != "meminfo") continue;
        const uint64_t pid = e.field("target");
        for (size_t k = i + 1; k < events.size(); ++k)
            if (events[k].kind == "exit" && events[k].field("target") == pid) {
                cut = k;
                found_meminfo = true;
                break;
            }
        break;
    }
    if (!found_meminfo) fail("no exec and exit of a meminfo process in the events");

    std::map<std::string, uint64_t> before, total;
    uint64_t swap_in_cached = 0, oom_reason_kills = 0;
    std::map<unsigned, std::pair<uint64_t, uint64_t>> disk_events;
    std::set<uint64_t> swapped_out;
    size_t first_evdetail = events.size(), last_evdetail_exit = 0;  // the window evdetail was on
    uint64_t last_evdetail_pid = ~uint64_t{0};
    for (size_t i = 0; i < events.size(); ++i) {
        const Ev& e = events[i];
        ++total[e.kind];
        if (i < cut) {
            ++before[e.kind];
            if (e.kind == "swap-in" && e.field("from_cache")) ++swap_in_cached;
            if (e.kind == "kill" && e.field("reason") == 0xFF) ++oom_reason_kills;
        }
        if (e.kind == "disk-read")
            disk_events[static_cast<unsigned>(e.field("drive"))].first += e.field("sectors");
        if (e.kind == "disk-write")
            disk_events[static_cast<unsigned>(e.field("drive"))].second += e.field("sectors");
        if (e.kind == "cow-copy" && e.field("old_frame") == e.field("new_frame"))
            fail("cow-copy with old_frame == new_frame: " + e.j.dump());
        if (e.kind == "swap-out") swapped_out.insert(e.field("slot"));
        if (e.kind == "swap-in" && !swapped_out.count(e.field("slot")))
            fail("swap-in of a slot never swapped out: " + e.j.dump());
        if (e.kind == "exec" && e.j.value("name", std::string()) == "evdetail") {
            if (first_evdetail == events.size()) first_evdetail = i;
            last_evdetail_pid = e.field("target");
        }
        if (e.kind == "exit" && e.field("target") == last_evdetail_pid) last_evdetail_exit = i;
    }

    auto c = [&](const char* key) -> uint64_t {
        auto it = counter.find(key);
        if (it == counter.end()) {
            fail(std::string("no '") + key + " N' line in the log");
            return 0;
        }
        return it->second;
    };
    // The guest's counters against the events before the cut.
    expect_eq("zero-fill vs faults_zero_fill", before["zero-fill"], c("faults_zero_fill"));
    expect_eq("cow-copy vs faults_cow_copy", before["cow-copy"], c("faults_cow_copy"));
    expect_eq("cow-reuse vs faults_cow_reuse", before["cow-reuse"], c("faults_cow_reuse"));
    expect_eq("stack-grow vs faults_stack_grow", before["stack-grow"], c("faults_stack_grow"));
    expect_eq("swap-in vs faults_swap_in", before["swap-in"], c("faults_swap_in"));
    expect_eq("swap-in from_cache=1 vs swap_cache_hits", swap_in_cached, c("swap_cache_hits"));
    expect_eq("swap-out vs swap_outs", before["swap-out"], c("swap_outs"));
    expect_eq("oom-kill vs oom_kills", before["oom-kill"], c("oom_kills"));
    expect_eq("kill reason=255 vs oom_kills", oom_reason_kills, c("oom_kills"));
    expect_eq("fork vs forks", before["fork"], c("forks"));
    expect_eq("exec vs execs", before["exec"], c("execs"));
    expect_eq("exit vs exits", before["exit"], c("exits"));
    expect_eq("kill vs kills", before["kill"], c("kills"));

    // The machine's counters against the whole stream.
    expect_eq("exception events vs --stats exceptions delivered", total["exception"], exceptions_delivered);
    expect_eq("interrupt events vs --stats hardware interrupts", total["interrupt"], hardware_interrupts);
    for (const auto& [unit, rw] : disk_stats) {
        expect_eq("disk " + std::to_string(unit) + " sectors read (disk-read events)",
                  disk_events[unit].first, rw.first);
        expect_eq("disk " + std::to_string(unit) + " sectors written (disk-write events)",
                  disk_events[unit].second, rw.second);
    }
    if (total["switch"] == 0) fail("no switch events");
    if (total["reclaim"] < (c("swap_outs") ? 1u : 0u)) fail("swap-outs without a reclaim event");

    // The allocator events: only while evdetail is on.
    const char* const chatty[] = {"buddy-split", "buddy-merge", "slab-grow", "slab-shrink"};
    for (const char* k : chatty) {
        if (!detail && total[k]) fail(std::string(k) + " events without evdetail on");
        if (detail && !total[k]) fail(std::string("no ") + k + " events with evdetail on");
    }
    if (detail) {
        for (size_t i = 0; i < events.size(); ++i) {
            const std::string& k = events[i].kind;
            const bool is_chatty = k == "buddy-split" || k == "buddy-merge" || k == "slab-grow" ||
                                   k == "slab-shrink" || k == "kmap" || k == "kunmap" || k == "lru-move";
            if (is_chatty && (i < first_evdetail || i > last_evdetail_exit)) {
                fail("allocator event outside evdetail on..off: " + events[i].j.dump());
                break;
            }
        }
    }

    std::printf(
        "events %zu (cut at %zu): zero-fill %llu cow-copy %llu cow-reuse %llu stack-grow %llu swap-out %llu "
        "swap-in %llu (cached %llu) reclaim %llu oom-kill %llu fork %llu exec %llu exit %llu kill %llu "
        "switch %llu exception %llu buddy-split %llu slab-grow %llu\n",
        events.size(), cut, static_cast<unsigned long long>(before["zero-fill"]),
        static_cast<unsigned long long>(before["cow-copy"]),
        static_cast<unsigned long long>(before["cow-reuse"]),
        static_cast<unsigned long long>(before["stack-grow"]),
        static_cast<unsigned long long>(before["swap-out"]),
        static_cast<unsigned long long>(before["swap-in"]), static_cast<unsigned long long>(swap_in_cached),
        static_cast<unsigned long long>(total["reclaim"]),
        static_cast<unsigned long long>(before["oom-kill"]), static_cast<unsigned long long>(before["fork"]),
        static_cast<unsigned long long>(before["exec"]), static_cast<unsigned long long>(before["exit"]),
        static_cast<unsigned long long>(before["kill"]), static_cast<unsigned long long>(total["switch"]),
        static_cast<unsigned long long>(total["exception"]),
        static_cast<unsigned long long>(total["buddy-split"]),
        static_cast<unsigned long long>(total["slab-grow"]));
    return failures ? 1 : 0;
}
