#pragma once
// Constant-Q / variable-Q magnitudes and the features built on them, following librosa 0.10.2
// (core/constantq.py, filters.wavelet, feature/spectral.py) step by step on float32 input:
//   vqt: interval frequencies (tuned fmin), relative bandwidths, wavelet lengths, early
//   downsampling, then per octave from the top a sparse FFT-domain wavelet basis times an
//   STFT (window ones, centred, zero padded) of the octave's signal, 2:1 soxr_hq decimation
//   (scale=True) and hop halving; stack, trim, divide by sqrt(filter length).
// Filter bases are cached per (sr, fmin, n_bins, bins_per_octave, gamma); thread-safe.
#include <limits>
#include <span>

#include "core/matrix.hpp"
#include "features/params.hpp"
#include "features/stft.hpp"

namespace gtzan::features {

// librosa.note_to_hz("C1").
inline constexpr double kC1Hz = 32.703195662574829;
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// librosa.estimate_tuning(y=y, sr=sr, bins_per_octave=bpo): piptrack on |stft(y)| (n_fft 2048,
// hop 512, hann), resolution 0.01, returned in fractions of a bin (float64 histogram edge).
double estimate_tuning(std::span<const float> y, int sr = kSr, int bins_per_octave = 12);
// The same from an existing stft(y, 2048, 512) (e.g. the one a feature set already computed).
double estimate_tuning(const ComplexSpectrogram& X, int sr = kSr, int bins_per_octave = 12);

// np.abs(librosa.vqt(y, sr=sr, hop_length=hop, fmin=fmin, n_bins, intervals="equal",
// gamma, bins_per_octave, tuning)), float32 [n_bins, frames].
//   gamma NaN   = librosa's gamma=None (ERB-like: gamma = alpha * 24.7 / 0.108);
//   tuning NaN  = tuning=None (estimate_tuning(y, sr, bins_per_octave)).
// librosa.vqt's own default tuning is 0.0, as is cqt's. Throws std::invalid_argument for an
// empty signal, or when the top filter would exceed Nyquist, or when y is too short for the
// early downsampling (librosa's ParameterError cases).
Matrix vqt_magnitude(std::span<const float> y, int sr = kSr, int hop = kHop, double fmin = kC1Hz,
                     int n_bins = 84, int bins_per_octave = 12, double gamma = kNaN,
                     double tuning = 0.0);

// np.abs(librosa.cqt(y, sr=sr, hop_length=hop, fmin, n_bins, bins_per_octave, tuning)):
// vqt with gamma = 0. Default tuning 0.0 as librosa.cqt; pass kNaN to estimate it from y
// (what chroma_cqt does).
Matrix cqt_magnitude(std::span<const float> y, int sr = kSr, int hop = kHop, double fmin = kC1Hz,
                     int n_bins = 84, int bins_per_octave = 12, double tuning = 0.0);

// librosa.filters.cq_to_chroma(n_input, bins_per_octave, n_chroma, fmin), float32
// [n_chroma, n_input].
Matrix cq_to_chroma(int n_input, int bins_per_octave = 36, int n_chroma = 12,
                    double fmin = kC1Hz);

// Chroma folding of a constant-Q magnitude C [n_octaves * bins_per_octave, frames] with
// librosa.feature.chroma_cqt(C=C, bins_per_octave, norm): cq_to_chroma (fmin C1) projection,
// threshold 0, then util.normalize(norm=inf) per frame when `inf_normalise`, else raw.
Matrix chroma_from_cq(const Matrix& C, int bins_per_octave = 36, bool inf_normalise = true);

// librosa.feature.chroma_cqt(y=y, sr=sr, hop_length=hop): cqt with 36 bins per octave,
// 7 octaves from C1, tuning estimated (bins_per_octave 36), fold, inf-normalise.
Matrix chroma_cqt(std::span<const float> y, int sr = kSr, int hop = kHop);

// librosa.feature.chroma_cens from a raw (un-normalised) chroma_cqt (chroma_from_cq(C, 36,
// false)): L1 normalise, quantise (0.4, 0.2, 0.1, 0.05 at 0.25 each), smooth along time with a
// normalised symmetric hann(43) (scipy.ndimage.convolve, mode constant), L2 normalise.
Matrix chroma_cens_from_raw(const Matrix& raw_chroma);
Matrix chroma_cens(std::span<const float> y, int sr = kSr, int hop = kHop);

// librosa.feature.chroma_vqt(y=y, sr=sr, intervals="equal"): its defaults are
// bins_per_octave 12, gamma 0, tuning 0, 7 octaves, i.e. cqt_magnitude(y) (84 bins) folded
// 1:1 to 12 chroma and inf-normalised.
Matrix chroma_vqt(std::span<const float> y, int sr = kSr, int hop = kHop);

// librosa.feature.tonnetz(chroma=chroma): L1 normalise each frame, then the six tonal
// centroid rows (fifths r=1, minor thirds r=1, major thirds r=0.5), computed in float64.
Matrix tonnetz_from_chroma(const Matrix& chroma);
// librosa.feature.tonnetz(y=y, sr=sr): tonnetz_from_chroma(chroma_cqt(y)).
Matrix tonnetz(std::span<const float> y, int sr = kSr, int hop = kHop);

// All CQT-family features from one 252-bin CQT (what a feature set needs).
struct CqtFeatures {
  Matrix chroma_cqt;   // [12, T]
  Matrix chroma_cens;  // [12, T]
  Matrix tonnetz;      // [6, T]
};
// `tuning` NaN: estimated from y with bins_per_octave 36 (as chroma_cqt does); pass
// estimate_tuning(X, sr, 36) to reuse an STFT already at hand.
CqtFeatures cqt_features(std::span<const float> y, int sr = kSr, int hop = kHop,
                         double tuning = kNaN);

}  // namespace gtzan::features
