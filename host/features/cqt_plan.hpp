#pragma once
// The pieces of the CPU vqt (cqt.cpp) that the CUDA backend shares: the cached filter plan
// (per-octave sparse FFT-domain wavelet bases, hops, 1/sqrt(length) scaling) and the
// per-octave input signals (early downsampling and 2:1 decimation with libsoxr on the host).
// vqt_magnitude itself is prepare_vqt + per-octave STFT x basis + trim/stack + scaling.
#include <complex>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace gtzan::features {

// One octave's FFT-domain basis in CSR form (columns ascending per row, as scipy's tocsr()).
// Values are complex64 as librosa stores them; the STFT of the octave has n_fft (window ones).
struct OctaveBasis {
  int n_fft = 0;
  int col_lo = 0, col_hi = 0;  // union of the columns used: [col_lo, col_hi)
  std::vector<std::size_t> row_ptr;
  std::vector<int> cols;
  std::vector<std::complex<float>> vals;
  int rows() const { return static_cast<int>(row_ptr.size()) - 1; }
};

struct VqtPlan {
  int n_bins = 0, n_octaves = 0, n_filters = 0;
  int downsample_count = 0;
  double sr = 0;                     // after early downsampling
  int hop = 0;                       // after early downsampling
  std::vector<double> inv_sqrt_len;  // per bin: numpy's complex division 1 / sqrt(length)
  std::vector<OctaveBasis> octaves;  // from the top octave down
  std::vector<int> octave_lo;        // first bin of each octave's slice
  std::vector<bool> halve_after;     // hop halved and y decimated after octave i
};

// The plan for a tuned fmin (cached, thread-safe). Throws std::invalid_argument as vqt does.
std::shared_ptr<const VqtPlan> vqt_plan(int sr, int hop, double fmin_tuned, int n_bins, int bpo,
                                        double gamma);

// What each octave of vqt transforms: octave i's signal (early-downsampled, then decimated
// 2:1 with audio::resample(scale=true) after each halving octave) and its hop.
struct VqtInput {
  std::shared_ptr<const VqtPlan> plan;
  std::vector<std::vector<float>> signals;  // per octave, from the top octave down
  std::vector<int> hops;                    // per octave
};

// vqt_magnitude's preparation, with its argument checks and tuning estimate (tuning NaN).
VqtInput prepare_vqt(std::span<const float> y, int sr, int hop, double fmin, int n_bins,
                     int bins_per_octave, double gamma, double tuning);

// chroma_cens' smoothing weights: symmetric hann(43) / its numpy pairwise sum, float64.
std::vector<double> chroma_cens_window();

}  // namespace gtzan::features
