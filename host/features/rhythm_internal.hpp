#pragma once
// Internal helpers shared by onset.cpp, tempo.cpp and tempogram.cpp.
#include <cstddef>
#include <span>
#include <vector>

namespace gtzan::features::detail {

// numpy's pairwise summation (add.reduce along a contiguous axis): blocks of up to 128 summed
// with 8 interleaved accumulators, larger ranges split in halves (multiple of 8), in T.
template <typename T>
T numpy_pairwise_sum(const T* a, std::size_t n) {
  if (n < 8) {
    T res = 0;
    for (std::size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    T r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return numpy_pairwise_sum(a, n2) + numpy_pairwise_sum(a + n2, n - n2);
}

// Autocorrelation tempogram in float64 (librosa.feature.tempogram before its float64 result is
// returned): row-major [win_length, frames], each frame normalised by its max |value|.
std::vector<double> tempogram_f64(std::span<const float> onset_envelope, int win_length);

}  // namespace gtzan::features::detail
