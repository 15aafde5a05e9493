#pragma once
// numpy's legacy RandomState (numpy.random.RandomState / mtrand), the generator scikit-learn's
// check_random_state(int) returns. Only what the splitters need, bit-for-bit:
//   - seeding an integer seed: MT19937 init_genrand(seed & 0xffffffff) (numpy's mt19937_seed);
//   - random_sample(): 53-bit double from two 32-bit words, (a>>5 * 2^26 + b>>6) / 2^53;
//   - random_interval(max): uniform in [0, max] by masking to the next power of two minus one
//     and rejecting values above max (32-bit words while max fits, else 64-bit words hi<<32|lo);
//   - shuffle(): Fisher-Yates from the end: for i = n-1..1: j = random_interval(i); swap(i, j);
//   - permutation(n) = shuffle(arange(n)); choice(n, k, replace=False) = permutation(n)[:k].
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

namespace gtzan::ml {

class RandomState {
 public:
  explicit RandomState(uint32_t seed);
  void seed(uint32_t seed);

  uint32_t next_uint32();        // genrand_int32
  uint64_t next_uint64();        // (uint64(next_uint32()) << 32) | next_uint32()
  double random_sample();        // [0, 1), 53 bits
  uint64_t random_interval(uint64_t max);  // uniform integer in [0, max]

  // In-place legacy shuffle of a 1-d array of any element type.
  template <class T>
  void shuffle(std::vector<T>& x) {
    for (std::size_t i = x.size(); i-- > 1;) {
      const auto j = static_cast<std::size_t>(random_interval(i));
      std::swap(x[i], x[j]);
    }
  }
  std::vector<int> permutation(int n);  // shuffled 0..n-1
  // permutation(x) for an array: a shuffled copy.
  template <class T>
  std::vector<T> permutation(std::vector<T> x) {
    shuffle(x);
    return x;
  }
  // choice(pop_size, size, replace=False) without weights: the first `size` of a permutation.
  std::vector<int> choice_without_replacement(int pop_size, int size);

 private:
  std::array<uint32_t, 624> mt_{};
  int pos_ = 624;
  void reload();
};

}  // namespace gtzan::ml
