#pragma once
// A progress line on stderr for long jobs: items done, rate, ETA. Rewrites one line on a
// terminal; prints a line at most every few seconds otherwise (logs stay short).
#include <chrono>
#include <cstddef>
#include <string>

namespace gtzan {

class Progress {
 public:
  Progress(std::string label, std::size_t total, std::string unit = "files");
  void advance(std::size_t n = 1);
  void finish();

 private:
  void print(bool final);
  std::string label_, unit_;
  std::size_t total_, done_ = 0;
  std::chrono::steady_clock::time_point start_, last_print_;
  bool tty_;
};

}  // namespace gtzan
