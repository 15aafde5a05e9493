#pragma once
// Mel spectrogram, dB scaling, MFCC and deltas, as librosa 0.10.
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

// librosa.feature.delta(X, width=9, order, axis=-1, mode="interp"): Savitzky-Golay derivative.
Matrix delta(const Matrix& X, int order = 1, int width = 9);

}  // namespace gtzan::features
