#pragma once
// librosa.feature.spectral_contrast (n_bands=6, fmin=200, quantile=0.02, linear=False) of a
// batch of magnitude frames, in two steps:
//  1. per (frame, band): the mean of the `take` smallest (valley) and largest (peak) values of
//     the band's bins (one thread each, insertion-sorted arrays as the CPU's small-take path,
//     summed in the same order, so the means are the CPU's), as float64 dB
//     10 * log10(max(1e-10, float32(mean)));
//  2. per clip: each of peak and valley floored at its own clip-wide max - 80 dB (the CPU
//     calls power_to_db on the clip's whole [7, frames] arrays), out = float32(peak - valley).
// CPU twin: features::spectral_contrast in host/features/spectral.cpp (bands from
// features::contrast_bands).
#include <cuda_runtime.h>

namespace gtzan::kernels {

inline constexpr int kContrastMaxBands = 8;
inline constexpr int kContrastMaxTake = 16;  // the CPU's small-take path; larger takes throw

struct ContrastBands {
  int count = 0;  // bands = output rows
  long lo[kContrastMaxBands] = {}, hi[kContrastMaxBands] = {}, take[kContrastMaxBands] = {};
};

// mag: [bins, frames]; peak_db, valley_db: [bands, frames] float64.
void launch_contrast_bands(const float* mag, long frames, const ContrastBands& bands,
                           double* peak_db, double* valley_db, cudaStream_t stream);

// out[k, col] = float32(max(peak, peak_max[c] - top_db) - max(valley, valley_max[c] - top_db)),
// c = owner[col].
void launch_contrast_finish(const double* peak_db, const double* valley_db, int bands,
                            long frames, const int* owner, const double* peak_max,
                            const double* valley_max, double top_db, float* out,
                            cudaStream_t stream);

}  // namespace gtzan::kernels
