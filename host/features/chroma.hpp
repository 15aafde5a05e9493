#pragma once
// Chroma from the STFT with librosa's tuning estimation (piptrack-based estimate_tuning).
#include <span>

#include "core/matrix.hpp"
#include "features/params.hpp"

namespace gtzan::features {

// librosa.estimate_tuning(S=power, sr, n_fft, bins_per_octave=12): pitches from piptrack
// (threshold 0.1 of each frame's max, fmin 150, fmax 4000 after the 0.1-tuning resolution).
float estimate_tuning_from_power(const Matrix& power, int sr = kSr, int n_fft = kNfft);

// The same estimate for any bins_per_octave (librosa's pitch_tuning folds 12 * octs for 12,
// 36 * octs for chroma_cqt's 36), returned as the float64 histogram edge librosa returns.
// `S` may be a power or a magnitude spectrogram (estimate_tuning(y=...) uses magnitude).
double estimate_tuning_f64(const Matrix& S, int sr, int n_fft, int bins_per_octave);

// piptrack's frequency mask (fmin 150 Hz, fmax min(4000, sr/2)) as the bin range [k_lo, k_hi).
void piptrack_bin_range(int sr, int n_fft, int& k_lo, int& k_hi);

// pitch_tuning over one clip's piptrack peaks (pitch in Hz > 0, magnitude), in any order:
// magnitudes at or above their float32 median vote in a 0.01-wide residual histogram; the
// winning bin's left edge. Shared with the CUDA backend, which finds the peaks on the GPU.
double pitch_tuning_from_peaks(std::span<const float> pitches, std::span<const float> mags,
                               int bins_per_octave);

// librosa.filters.chroma(sr, n_fft, n_chroma=12, tuning), float32. Shape [12, 1 + n_fft/2].
Matrix chroma_filterbank(float tuning, int sr = kSr, int n_fft = kNfft, int n_chroma = 12);

// librosa.feature.chroma_stft(S=power): tuning estimated, projection, inf-norm per frame.
Matrix chroma_stft(const Matrix& power, int sr = kSr, int n_fft = kNfft);

}  // namespace gtzan::features
