// The event stream and run control, on a whole machine: a tiny paged kernel touches a page that is
// not present; its #PF handler maps the page and returns; the instruction runs again and the guest
// exits through port 0xF4. The stream must tell that story (CR3 and CR0 writes, the mode switch, the
// #PF with CR2 and the faulting EIP, the exit), a break on the fault must stop exactly at the
// handler's first instruction, and the writers must produce JSON that parses.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "base/log.h"
#include "cpu/cpu.h"
#include "debug/event_writer.h"
#include "debug/script.h"
#include "halt_rom_test.h"
#include "hostile_guest.h"
#include "machine/machine.h"
#include "mmu/physical_bus.h"
#include "paged_kernel.h"
#include "support/flat_segments.h"

namespace pc386 {
namespace {

using namespace hostile;
using namespace paged_kernel;

class EventStream : public HaltRomTest {
  protected:
    std::vector<Event> all_events(const Machine& m) { return m.events().since(0); }
};

TEST_F(EventStream, ThePageFaultStoryIsRecordedInOrderWithItsContext) {
    auto m = make_machine();
    m->events().keep_history();
    load_paged_kernel(*m);
    ASSERT_EQ(m->run_for(10'000), StopReason::GuestExit);

    std::vector<EventKind> kinds;
    for (const Event& e : all_events(*m)) kinds.push_back(e.kind);
    // The CR0 write changes the mode, and the MMU then flushes the TLB for the new rules.
    const std::vector<EventKind> expected = {EventKind::Cr3Write,   EventKind::TlbFlush, EventKind::Cr0Write,
                                             EventKind::ModeSwitch, EventKind::TlbFlush, EventKind::Exception,
                                             EventKind::GuestExit};
    EXPECT_EQ(kinds, expected);

    const Event pf = all_events(*m)[5];
    EXPECT_EQ(pf.a, 14u);  // vector
    EXPECT_EQ(pf.b, 0u);   // error code: not present, read, supervisor
    EXPECT_TRUE(pf.flags & Event::kHasError);
    EXPECT_EQ(pf.c, kMissing);  // CR2
    EXPECT_EQ(pf.eip, kCode);   // the faulting instruction
    EXPECT_EQ(pf.cr3, kPageDir);
    EXPECT_EQ(pf.cpl, 0);
    EXPECT_EQ(pf.icount, 0u);  // nothing retired before it
    const Event mode = all_events(*m)[3];
    EXPECT_EQ(mode.a, 0u);       // real mode
    EXPECT_EQ(mode.b, 1u + 4u);  // protected mode with paging
    EXPECT_EQ(m->events().count(EventKind::Exception), 1u);
    EXPECT_EQ(m->events().count(EventKind::Exception), m->cpu().exceptions_delivered());
}

TEST_F(EventStream, NothingIsRecordedWhileNobodyListens) {
    auto m = make_machine();
    load_paged_kernel(*m);
    ASSERT_EQ(m->run_for(10'000), StopReason::GuestExit);
    EXPECT_FALSE(m->events().on());
    EXPECT_EQ(m->events().total(), 0u);
}

TEST_F(EventStream, ABreakOnTheFaultStopsAtTheHandlersFirstInstruction) {
    auto m = make_machine();
    load_paged_kernel(*m);
    std::string why;
    m->add_break(*EventFilter::parse("pf", why));
    ASSERT_EQ(m->run_for(10'000), StopReason::EventBreak);
    const CpuState& s = m->cpu().state();
    EXPECT_EQ(s.eip, kHandler);  // delivered, and not one instruction of the handler has run
    EXPECT_EQ(s.cr2, kMissing);
    EXPECT_EQ(s.regs[ESP], 0x9000u - 16);  // EFLAGS, CS, EIP and the error code pushed
    ASSERT_TRUE(m->break_event());
    EXPECT_EQ(m->break_event()->eip, kCode);
    EXPECT_EQ(m->break_event()->c, kMissing);
    // Continuing runs the handler, the instruction again, and the exit; the break does not fire
    // again because the page is present now.
    EXPECT_EQ(m->run_for(10'000), StopReason::GuestExit);
}

TEST_F(EventStream, AnAddressRangeNarrowsTheBreak) {
    auto m = make_machine();
    load_paged_kernel(*m);
    std::string why;
    m->add_break(*EventFilter::parse("pf addr=0x300000-0x400000", why));
    EXPECT_EQ(m->run_for(10'000), StopReason::GuestExit);
    auto m2 = make_machine();
    load_paged_kernel(*m2);
    m2->add_break(*EventFilter::parse("pf addr=0x200000-0x201000", why));
    EXPECT_EQ(m2->run_for(10'000), StopReason::EventBreak);
}

TEST_F(EventStream, RunUntilEventStopsAtTheNextMatchAndRemovesItsBreak) {
    auto m = make_machine();
    load_paged_kernel(*m);
    std::string why;
    // No CR3 write is left in the program: it runs to its end.
    EXPECT_EQ(m->run_until_event(*EventFilter::parse("cr3-write", why), 1000), StopReason::GuestExit);
    EXPECT_EQ(m->break_count(), 0u);
    auto m2 = make_machine();
    load_paged_kernel(*m2);
    EXPECT_EQ(m2->run_until_event(*EventFilter::parse("exception", why), 1000), StopReason::EventBreak);
    EXPECT_EQ(m2->break_count(), 0u);
    EXPECT_EQ(m2->cpu().state().eip, kHandler);
}

TEST_F(EventStream, TwoRunsOfTheSameGuestGiveTheSameStream) {
    std::vector<std::string> runs[2];
    for (auto& run : runs) {
        auto m = make_machine();
        m->events().keep_history();
        load_paged_kernel(*m);
        m->run_for(10'000);
        for (const Event& e : all_events(*m)) run.push_back(event_to_json(e, m->events(), 20));
    }
    EXPECT_EQ(runs[0], runs[1]);
    EXPECT_FALSE(runs[0].empty());
}

TEST_F(EventStream, TheJsonLinesFileParsesAndNamesEveryField) {
    const std::string path = dir_.file("ev.jsonl");
    {
        auto m = make_machine();
        EventWriter writer(path, EventFormat::JsonLines, EventFilter::all(), m->events(), 20);
        load_paged_kernel(*m);
        m->run_for(10'000);
        ASSERT_TRUE(writer.close()) << writer.error();
    }
    std::ifstream in(path);
    std::string line;
    std::vector<nlohmann::json> events;
    while (std::getline(in, line)) events.push_back(nlohmann::json::parse(line));
    ASSERT_EQ(events.size(), 7u);
    const nlohmann::json& pf = events[5];
    EXPECT_EQ(pf["kind"], "exception");
    EXPECT_EQ(pf["vector"], 14);
    EXPECT_EQ(pf["error"], 0);
    EXPECT_EQ(pf["cr2"], kMissing);
    EXPECT_EQ(pf["eip"], kCode);
    EXPECT_EQ(pf["i"], 0);
    EXPECT_EQ(events[6]["kind"], "guest-exit");
    EXPECT_EQ(events[6]["t_ns"], events[6]["i"].get<uint64_t>() * 20);
}

TEST_F(EventStream, TheChromeTraceIsATraceEventArray) {
    const std::string path = dir_.file("ev.json");
    {
        auto m = make_machine();
        EventWriter writer(path, EventFormat::Chrome, EventFilter::all(), m->events(), 20);
        load_paged_kernel(*m);
        m->run_for(10'000);
        ASSERT_TRUE(writer.close()) << writer.error();
    }
    std::ifstream in(path);
    const nlohmann::json trace = nlohmann::json::parse(in);
    ASSERT_TRUE(trace.is_array());
    size_t instants = 0, names = 0;
    for (const auto& e : trace) {
        ASSERT_TRUE(e.contains("ph") && e.contains("pid") && e.contains("name"));
        if (e["ph"] == "i") {
            ++instants;
            EXPECT_TRUE(e["ts"].is_number());
            EXPECT_TRUE(e["args"].is_object());
        } else {
            EXPECT_EQ(e["ph"], "M");
            ++names;
        }
    }
    EXPECT_EQ(instants, 7u);
    EXPECT_GT(names, 0u);
}

TEST_F(EventStream, AnUnwritableEventsFileIsAnErrorNotACrash) {
    auto m = make_machine();
    EventWriter writer("/dev/full", EventFormat::JsonLines, EventFilter::all(), m->events(), 20);
    load_paged_kernel(*m);
    m->run_for(10'000);
    EXPECT_FALSE(writer.close());
    EXPECT_NE(writer.error().find("/dev/full"), std::string::npos);
}

TEST_F(EventStream, AScriptWaitsForTheFaultAndChecksIt) {
    auto m = make_machine();
    Script script(Script::parse("wait-event pf\n"
                                "assert-event cr2 == 0x200000\n"
                                "assert-event eip == 0x15000\n"
                                "assert-event vector != error\n"
                                "assert-event-count exception == 1\n"
                                "wait-exit\n"),
                  *m);
    load_paged_kernel(*m);
    const StopReason reason = m->run();
    script.machine_stopped(reason, m->exit_status());
    EXPECT_EQ(reason, StopReason::GuestExit);
    EXPECT_TRUE(script.finished()) << script.failure();
}

TEST_F(EventStream, AFailedEventAssertionNamesTheLineAndTheEvent) {
    auto m = make_machine();
    Script script(Script::parse("wait-event pf\nassert-event cr2 == 0x300000\n"), *m);
    load_paged_kernel(*m);
    EXPECT_EQ(m->run(), StopReason::HostRequest);
    EXPECT_NE(script.failure().find("line 2"), std::string::npos) << script.failure();
    EXPECT_NE(script.failure().find("#PF read of 0x200000"), std::string::npos) << script.failure();
}

TEST_F(EventStream, FiltersParseAndRefuseNonsense) {
    std::string why;
    EXPECT_TRUE(EventFilter::parse("cow-copy,swap pid=7 addr=0x40000000-0x40100000", why));
    EXPECT_TRUE(EventFilter::parse("all", why));
    EXPECT_FALSE(EventFilter::parse("", why));
    EXPECT_FALSE(EventFilter::parse("cow-kopy", why));
    EXPECT_NE(why.find("cow-kopy"), std::string::npos);
    EXPECT_FALSE(EventFilter::parse("pf addr=0x2000-0x1000", why));
    EXPECT_FALSE(EventFilter::parse("pf pid=-1", why));
    EXPECT_FALSE(EventFilter::parse("pf colour=red", why));
    auto swap = EventFilter::parse("swap pid=7", why);
    ASSERT_TRUE(swap);
    Event e;
    e.kind = EventKind::SwapOut;
    e.pid = 7;
    EXPECT_TRUE(swap->matches(e));
    e.pid = 8;
    EXPECT_FALSE(swap->matches(e));
    e.kind = EventKind::CowCopy;
    e.pid = 7;
    EXPECT_FALSE(swap->matches(e));
}

}  // namespace
}  // namespace pc386
