#pragma once
// librosa.piptrack's peak picking as estimate_tuning uses it, one block per STFT frame:
// power |X|^2 in float32, the frame's max, threshold 0.1 * max, local maxima along frequency
// in the bin range [k_lo, k_hi), parabolic interpolation (numba's float64 stencil), pitch and
// magnitude of each peak. Two passes: count the peaks of each frame, then write them (in bin
// order) at the frame's start in a compact list; the per-clip pitch_tuning histogram runs on
// the host over that list (features::pitch_tuning_from_peaks), so the tuning is the CPU's.
// Every float operation is an explicit _rn intrinsic: nvcc would otherwise contract a*b+c
// into an FMA and move the peak decisions off the host's arithmetic.
// CPU twin: features::estimate_tuning_f64 in host/features/chroma.cpp (its frame loop).
#include <cuda_runtime.h>
#include <cufft.h>

namespace gtzan::kernels {

// X: frame-major complex spectra [frames, bins]. counts[f] = number of peaks of frame f.
void launch_piptrack_count(const cufftComplex* X, long frames, int bins, int k_lo, int k_hi,
                           int sr, int n_fft, int* counts, cudaStream_t stream);

// ends[f] = inclusive prefix sum of counts (frame f's peaks go to [ends[f] - counts[f], ends[f])).
void launch_piptrack_write(const cufftComplex* X, long frames, int bins, int k_lo, int k_hi,
                           int sr, int n_fft, const long* ends, const int* counts,
                           float* pitches, float* mags, cudaStream_t stream);

}  // namespace gtzan::kernels
