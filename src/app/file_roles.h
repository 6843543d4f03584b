// Output files must never clobber input files: `--trace disk.img` would replace the disk image
// with trace text, `--serial file:X --script X` would truncate the script before it is read.
#pragma once

#include <string>
#include <vector>

namespace pc386 {

struct NamedPath {
    std::string option;  // as the user knows it: "IMAGE", "--hda", "--trace", ...
    std::string path;    // empty: not given (skipped)
};

// True when both paths name the same file: the same device and inode when both exist, otherwise
// the same absolute path with symbolic links and "." / ".." resolved as far as they exist.
bool same_file(const std::string& a, const std::string& b);

// Throws UsageError naming the pair when an output names an input, or two outputs name the same
// regular (or not yet existing) file. Call it before anything is opened for writing.
void check_outputs_spare_inputs(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs);

}  // namespace pc386
