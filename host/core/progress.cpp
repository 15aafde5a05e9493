#include "core/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace gtzan {

Progress::Progress(std::string label, std::size_t total, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total),
      start_(std::chrono::steady_clock::now()), last_print_(start_), tty_(::isatty(2)) {}

void Progress::advance(std::size_t n) {
  done_ += n;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_print_).count();
  if (since >= (tty_ ? 0.2 : 5.0) && done_ < total_) print(false);
}

void Progress::finish() { print(true); }

void Progress::print(bool final) {
  last_print_ = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(last_print_ - start_).count();
  const double rate = elapsed > 0 ? done_ / elapsed : 0.0;
  const double eta = rate > 0 ? (total_ - done_) / rate : 0.0;
  std::fprintf(stderr, "%s%s: %zu/%zu %s, %.2f %s/s, elapsed %.1f s, ETA %.1f s%s",
               tty_ ? "\r" : "", label_.c_str(), done_, total_, unit_.c_str(), rate,
               unit_.c_str(), elapsed, eta, (tty_ && !final) ? "   " : "\n");
  std::fflush(stderr);
}

}  // namespace gtzan
