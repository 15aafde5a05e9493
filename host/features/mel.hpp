#pragma once
// Mel spectrogram, dB scaling, MFCC and deltas, as librosa 0.10.
#include <vector>

#include "core/matrix.hpp"
#include "features/params.hpp"

namespace gtzan::features {

// librosa.filters.mel(sr, n_fft, n_mels, fmin=0, fmax=sr/2, htk=False, norm="slaney"),
// built in float32 like librosa. Shape [n_mels, 1 + n_fft/2].
Matrix mel_filterbank(int n_mels, int sr = kSr, int n_fft = kNfft);

// mel_basis @ power  ([n_mels, frames]).
Matrix melspectrogram(const Matrix& power, int n_mels);

// librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80).
Matrix power_to_db(const Matrix& S, float amin = 1e-10f, float top_db = 80.0f);

// librosa.feature.mfcc from a log-power mel spectrogram: DCT-II, orthonormal, first n_mfcc rows.
Matrix mfcc_from_db(const Matrix& mel_db, int n_mfcc);

// The orthonormal DCT-II rows mfcc_from_db applies in float64: [n_mfcc, n] row-major.
std::vector<double> dct_ortho_matrix(int n, int n_mfcc);

// Savitzky-Golay derivative weights of delta(): `centre` (width taps, y[t] = sum_k centre[k]
// x[t + k - width/2]) and, for mode 'interp', edge[e] (e < width/2) applied to the first
// window for frame e (and mirrored, times (-1)^order, to the last window for frame T-1-e).
struct DeltaWeights {
  std::vector<double> centre;
  std::vector<std::vector<double>> edge;
};
DeltaWeights delta_weights(int order, int width);

// Least-squares derivative weights (see delta): sum_k w[k] x[k] is the deriv-th derivative at
// `at` of the degree-polyorder fit to the points (pos[k], x[k]).
std::vector<double> lsq_deriv_weights(const std::vector<double>& pos, int polyorder, int deriv,
                                      double at);

// librosa.feature.delta(X, width=9, order, axis=-1, mode="interp"): Savitzky-Golay derivative.
Matrix delta(const Matrix& X, int order = 1, int width = 9);

}  // namespace gtzan::features
