#pragma once
// Write outputs atomically: write to "<path>.tmp.<pid>", flush, then rename over <path>.
#include <filesystem>
#include <functional>
#include <ostream>

namespace gtzan {

// Calls write(stream) on a temporary file next to `path`, then renames it into place.
// Throws std::runtime_error naming the path when the file cannot be written.
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write,
                           bool binary = false);

}  // namespace gtzan
