#pragma once
// The engine's own deterministic random numbers (no std:: distributions, whose output differs
// between standard libraries): xoshiro256** for streams (initialisers, shuffling) and a
// counter-based hash for dropout masks, so every backend draws the same mask for (seed, index).
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace gtzan::engine {

inline std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Counter-based uniform in [0, 1) with 24 random bits (exact in float): hash of (seed, index).
inline double hash_uniform(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t x = seed ^ (index * 0xD1B54A32D192ED03ull);
  const std::uint64_t z = splitmix64(x);
  return static_cast<double>(z >> 40) * (1.0 / 16777216.0);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0) { reseed(seed); }
  void reseed(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (auto& w : s_) w = splitmix64(x);
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
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

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

}  // namespace gtzan::engine
