#pragma once
// Errors that name the file and the reason, so batch jobs can report and skip.
#include <filesystem>
#include <stdexcept>
#include <string>

namespace gtzan {

class InputError : public std::runtime_error {
 public:
  InputError(const std::filesystem::path& path, const std::string& reason)
      : std::runtime_error(path.string() + ": " + reason), path_(path), reason_(reason) {}
  const std::filesystem::path& path() const { return path_; }
  const std::string& reason() const { return reason_; }

 private:
  std::filesystem::path path_;
  std::string reason_;
};

}  // namespace gtzan
