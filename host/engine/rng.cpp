#include "engine/rng.hpp"

#include <cstdio>
#include <stdexcept>

#include "engine/tensor.hpp"

namespace gtzan::engine {

std::string shape_string(const std::vector<int>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

std::string Rng::state_string() const {
  std::string out;
  char buf[17];
  for (auto w : s_) {
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(w));
    out += buf;
  }
  return out;
}

void Rng::set_state_string(const std::string& s) {
  if (s.size() != 64) throw std::invalid_argument("rng state: expected 64 hex digits");
  for (int i = 0; i < 4; ++i) {
    std::size_t used = 0;
    s_[i] = std::stoull(s.substr(16 * i, 16), &used, 16);
    if (used != 16) throw std::invalid_argument("rng state: bad hex digits");
  }
}

}  // namespace gtzan::engine
