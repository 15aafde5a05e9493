#pragma once
// The engine's random numbers: the project's xoshiro256** (core/rng.hpp) for streams
// (initialisers, shuffling) and a counter-based hash for dropout masks, so every backend draws
// the same mask for (seed, index).
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/rng.hpp"

namespace gtzan::engine {

using gtzan::splitmix64;

// Counter-based uniform in [0, 1) with 24 random bits (exact in float): hash of (seed, index).
inline double hash_uniform(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t x = seed ^ (index * 0xD1B54A32D192ED03ull);
  const std::uint64_t z = splitmix64(x);
  return static_cast<double>(z >> 40) * (1.0 / 16777216.0);
}

class Rng : public Xoshiro256 {
 public:
  explicit Rng(std::uint64_t seed = 0) : Xoshiro256(seed) {}
  using Xoshiro256::uniform;
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Unbiased integer in [0, n) (Lemire-free rejection, simple and exact).
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t r;
    do r = next();
    while (r >= limit);
    return r % n;
  }
  double normal() {  // Box-Muller, one value per call (the pair's second value is dropped)
    double u1;
    do u1 = uniform();
    while (u1 <= 0.0);
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double truncated_normal(double stddev) {  // redraw outside two standard deviations
    double z;
    do z = normal();
    while (std::fabs(z) > 2.0);
    return z * stddev;
  }
  template <class V>
  void shuffle(V& v) {  // Fisher-Yates from the end
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }
  std::string state_string() const;
  void set_state_string(const std::string& s);  // throws std::invalid_argument on bad input
};

}  // namespace gtzan::engine
