// Names for the screenshots F12 takes: pc386-screenshot-N.png, N one past the highest already in
// the directory, so a new picture never overwrites an earlier one (even from an earlier run).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace pc386 {

// The next free name among `existing` file names (the directory's entries).
std::string next_screenshot_name(const std::vector<std::string>& existing);
// The next free path in `directory` (the current one by default).
std::filesystem::path next_screenshot_path(const std::filesystem::path& directory = ".");

}  // namespace pc386
