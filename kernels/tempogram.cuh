#pragma once
// librosa.feature.tempogram(onset_envelope, win_length, center=True, window='hann',
// norm=inf) for a batch of envelopes: each clip's envelope padded by win/2 linear ramps to 0
// (numpy linear_ramp: k * (edge / half) in float64, stored float32), frame t = padded[t, t+win)
// times the periodic Hann window (float64, from the host), its autocorrelation at lags
// 0..win-1 summed directly in float64 (the CPU twin uses an FFT: same values up to float64
// rounding), divided by the frame's max |value| (1 below DBL_MIN), stored float32.
// CPU twin: detail::tempogram_f64 / tempogram_from_onset in host/features/tempogram.cpp.
#include <cuda_runtime.h>

namespace gtzan::kernels {

// env: [total_cols] (clip c at offsets[c], counts[c] values, owner per column); window:
// [win] float64; out: [win, total_cols]. win even, <= 1024.
void launch_tempogram(const float* env, long total_cols, const long* offsets,
                      const long* counts, const int* owner, const double* window, int win,
                      float* out, cudaStream_t stream);

}  // namespace gtzan::kernels
