// Checks the pictures of tests/ui/walkthrough.script, a student's first session run as a CI script:
// the window's PNGs and the text written beside each (window_text.cpp), in DIR:
//
//   child.png    forkstorm's first child selected (a click on its fork event), and a page it shares
//                copy-on-write with its parent selected in the inspector
//   swap.png     the swap map tab after memhog pushed pages out
//   timeline.png the timeline over the whole run kept
//   lru.png      the grid by LRU list (window lru on)
//   heat.png     the grid by access heat (window heat on, then 20 ms of forkstorm)
//
// What a student should see, checked on the text and on the real pixels:
//   - the child's address space lists its program's text region and CoW pages;
//   - the inspector names the frame a CoW frame mapped by the child's and the parent's PTEs, both
//     marked CoW (write-protected until the first write copies the page);
//   - that frame's cell in the grid has the legend's colour for its kind;
//   - the swap map draws used slots, and lists them;
//   - the timeline's tracks show swap-out marks;
//   - the LRU view's legend counts frames on the active list, the heat view's frames written.
// Prints one line per check; exit status 0 when all pass, 1 otherwise.
//   walkthrough_check DIR
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "base/event.h"
#include "ui/png_file.h"
#include "ui/rgb.h"
#include "ui/swap_map.h"
#include "ui/timeline.h"

namespace {

using namespace pc386;

int failures = 0;

void check(bool ok, const std::string& what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAIL", what.c_str());
    if (!ok) ++failures;
}

struct Picture {
    PngImage png;
    std::vector<std::string> lines;
    // The lines of a [section] of the text, up to the next one.
    std::vector<std::string> section(const std::string& name) const {
        std::vector<std::string> out;
        bool in = false;
        for (const std::string& line : lines) {
            if (!line.empty() && line[0] == '[')
                in = line == "[" + name + "]";
            else if (in)
                out.push_back(line);
        }
        return out;
    }
    // A "KEY x=1 y=2 ..." line's numbers.
    std::map<std::string, int> numbers(const std::string& key) const {
        std::map<std::string, int> out;
        for (const std::string& line : lines) {
            if (line.rfind(key + " ", 0) != 0) continue;
            static const std::regex kField(R"((\w+)=(\d+))");
            for (std::sregex_iterator it(line.begin(), line.end(), kField), end; it != end; ++it)
                out[(*it)[1]] = std::stoi((*it)[2]);
        }
        return out;
    }
    // Pixels of `colour` inside a rectangle.
    int count(const std::map<std::string, int>& r, Rgb colour) const {
        int n = 0;
        const uint32_t want = uint32_t(colour.r) << 16 | uint32_t(colour.g) << 8 | colour.b;
        for (int y = r.at("y"); y < r.at("y") + r.at("h") && y < png.height; ++y)
            for (int x = r.at("x"); x < r.at("x") + r.at("w") && x < png.width; ++x)
                n += png.at(x, y) == want;
        return n;
    }
};

std::optional<Picture> load(const std::string& dir, const std::string& name) {
    Picture p;
    std::string error;
    p.png = read_png(dir + "/" + name + ".png", error);
    std::ifstream text(dir + "/" + name + ".txt");
    for (std::string line; std::getline(text, line);) p.lines.push_back(line);
    check(p.png.width > 0 && !p.lines.empty(), name + ".png and " + name + ".txt were written " + error);
    if (p.png.width == 0 || p.lines.empty()) return std::nullopt;
    return p;
}

// Whether a line matches; `groups` gets the match's groups as strings (they outlive the lines).
using Groups = std::vector<std::string>;
bool any_line(const std::vector<std::string>& lines, const std::regex& pattern, Groups* groups = nullptr) {
    for (const std::string& line : lines) {
        std::smatch m;
        if (!std::regex_search(line, m, pattern)) continue;
        if (groups) groups->assign(m.begin(), m.end());
        return true;
    }
    return false;
}

void check_child(const Picture& p) {
    const std::vector<std::string> selected = p.section("selected");
    Groups m;
    const bool has_pid = any_line(selected, std::regex(R"(^pid (\d+)$)"), &m);
    const std::string child = has_pid ? m[1] : "?";
    check(has_pid, "a process is selected (pid " + child + ")");
    const std::vector<std::string> space = p.section("address space");
    check(any_line(space, std::regex("pid " + child + " forkstorm")),
          "the address space on show is the child's");
    check(any_line(space, std::regex(R"(^00400000-)")),
          "the child's map lists its program's text at 00400000");
    check(any_line(space, std::regex(R"(CoW)")), "the child's map marks pages it shares copy-on-write");

    const std::vector<std::string> inspector = p.section("frame inspector");
    Groups kind;
    check(any_line(inspector, std::regex(R"(^kind: (CoW shared x\d+)$)"), &kind),
          "the inspector shows a CoW frame");
    // Both PTEs, the child's and its parent's: one line when they are the same entry value.
    std::vector<std::string> owners;
    for (const std::string& line : inspector) {
        if (line.find(" CoW  PTE ") == std::string::npos) continue;  // a write-protected CoW PTE
        static const std::regex kOwner(R"(pid (\d+) forkstorm)");
        for (std::sregex_iterator it(line.begin(), line.end(), kOwner), end; it != end; ++it)
            owners.push_back((*it)[1]);
    }
    bool child_maps = false, parent_maps = false;
    for (const std::string& pid : owners) (pid == child ? child_maps : parent_maps) = true;
    check(child_maps && parent_maps,
          "the inspector lists the child's PTE and its parent's for that frame, both CoW");

    // The frame's cell has the legend's colour for "CoW shared xN".
    const std::vector<std::string> frame =
        selected.size() > 1 ? std::vector{selected[1]} : std::vector<std::string>{};
    Groups fm;
    if (!any_line(frame, std::regex(R"(^frame ([0-9a-f]+)$)"), &fm) || kind.empty()) {
        check(false, "a frame is selected");
        return;
    }
    const uint32_t number = uint32_t(std::stoul(fm[1], nullptr, 16));
    Groups legend;
    const bool listed =
        any_line(p.section("legend"), std::regex("^" + kind[1] + R"( \d+ #([0-9a-f]{6})$)"), &legend);
    check(listed, "the legend lists " + kind[1] + " with its colour");
    const auto g = p.numbers("grid");
    if (!listed || g.empty()) return;
    const uint32_t cell = number / uint32_t(g.at("frames_per_cell"));
    const int x = g.at("x") + int(cell % uint32_t(g.at("columns"))) * g.at("pitch") + g.at("cell") / 2;
    const int y = g.at("y") + int(cell / uint32_t(g.at("columns"))) * g.at("pitch") + g.at("cell") / 2;
    char drawn[8];
    std::snprintf(drawn, sizeof drawn, "%06x", p.png.at(x, y));
    check(drawn == legend[1], "frame " + fm[1] + "'s cell at " + std::to_string(x) + "," + std::to_string(y) +
                                  " is drawn #" + drawn + ", the legend's #" + legend[1]);
}

void check_swap(const Picture& p) {
    check(any_line(p.section("swap map"), std::regex(R"(slot)")), "the swap map lists used slots");
    const auto aux = p.numbers("pane aux");
    const int used = aux.empty() ? 0
                                 : p.count(aux, slot_colour(SlotState::Used)) +
                                       p.count(aux, slot_colour(SlotState::Cached));
    check(used > 0, "the swap map draws used slots (" + std::to_string(used) + " pixels)");
}

void check_timeline(const Picture& p) {
    const auto tracks = p.numbers("pane timeline-tracks");
    const int marks = tracks.empty() ? 0 : p.count(tracks, event_colour(EventKind::SwapOut));
    check(marks > 0, "the timeline's tracks show swap-out marks (" + std::to_string(marks) + " pixels)");
}

// The legend's count of `label` (-1: not listed).
int legend_count(const Picture& p, const std::string& label) {
    Groups m;
    if (!any_line(p.section("legend"), std::regex("^" + label + R"( (\d+) #[0-9a-f]{6}$)"), &m)) return -1;
    return std::stoi(m[1]);
}

void check_views(const Picture& lru, const Picture& heat) {
    const int active = legend_count(lru, "active");
    check(active > 0,
          "the LRU view's legend counts " + std::to_string(active) + " frames on the active list");
    const int written = legend_count(heat, "mostly written");
    check(written > 0, "the heat view's legend counts " + std::to_string(written) + " frames mostly written");
    check(legend_count(heat, "active") < 0, "the heat view replaced the LRU view (lru off)");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: walkthrough_check DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    if (auto p = load(dir, "child")) check_child(*p);
    if (auto p = load(dir, "swap")) check_swap(*p);
    if (auto p = load(dir, "timeline")) check_timeline(*p);
    auto lru = load(dir, "lru");
    auto heat = load(dir, "heat");
    if (lru && heat) check_views(*lru, *heat);
    std::printf("%s\n", failures ? "FAIL" : "PASS");
    return failures ? 1 : 0;
}
