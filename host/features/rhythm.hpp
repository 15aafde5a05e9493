#pragma once
// Rhythm features as librosa 0.10.2: onset strength, tempo + dynamic-programming beat tracker,
// autocorrelation tempogram, Fourier tempogram magnitude, stack_memory. All for sr = 22050,
// hop 512, n_fft 2048 (librosa's defaults).
#include <span>
#include <vector>

#include "core/matrix.hpp"
#include "features/params.hpp"

namespace gtzan::features {

// How onset_strength aggregates the positive spectral flux over the 128 mel bands:
// librosa.onset.onset_strength's default is np.mean; beat_track calls it with np.median.
enum class OnsetAggregate { Mean, Median };

// librosa.onset.onset_strength(S=power_to_db(melspectrogram(S=power, n_mels=128)), lag=1,
// max_size=1, center=True, aggregate): flux max(0, S[:, t] - S[:, t-1]) aggregated over bands,
// shifted right by lag + n_fft // (2 hop) = 3 frames (zeros) and cut to the frame count.
// `power` is |STFT|^2, [1025, frames] (features::spectrogram_power(stft(y), 2)). Shape [1, frames].
Matrix onset_strength_from_power(const Matrix& power, OnsetAggregate aggregate = OnsetAggregate::Mean);
// Same from the waveform (one STFT).
Matrix onset_strength(std::span<const float> y, OnsetAggregate aggregate = OnsetAggregate::Mean);

// librosa.feature.tempo(onset_envelope=env, sr, hop_length, start_bpm=120, std_bpm=1,
// ac_size=8 s, max_tempo=320, aggregate=np.mean): the BPM of the best autocorrelation lag of the
// (8-s window, 344-lag) tempogram's time average, weighted by a log-normal prior.
double tempo_from_onset(std::span<const float> onset_envelope);

struct BeatTrack {
  double tempo = 0.0;      // BPM; 0 when the onset envelope is all zero
  std::vector<int> beats;  // beat frame indices (units='frames'), increasing
};

// librosa.beat.beat_track(onset_envelope=env, sr, hop_length, start_bpm=120, tightness=100,
// trim=True). `onset_envelope` must be the median-aggregated envelope, as beat_track builds it.
BeatTrack beat_track_from_onset(std::span<const float> onset_envelope);
// beat_track(y=y, sr=22050) from the power spectrogram / the waveform.
BeatTrack beat_track_from_power(const Matrix& power);
BeatTrack beat_track(std::span<const float> y);

// librosa.feature.tempogram(onset_envelope=env, win_length, center=True, window='hann',
// norm=inf): the envelope padded by win_length/2 linear ramps to 0 on both sides, one Hann-
// windowed autocorrelation per frame (float64), each frame divided by its max. [win_length, frames].
// win_length must be even (throws std::invalid_argument otherwise).
Matrix tempogram_from_onset(std::span<const float> onset_envelope, int win_length = 384);
Matrix tempogram(std::span<const float> y);  // onset_strength(y) (mean) -> tempogram

// np.abs(librosa.feature.fourier_tempogram(onset_envelope=env, win_length, center=True)):
// |stft(env, n_fft=win_length, hop 1, hann, constant padding)|. [win_length/2 + 1, frames + 1].
// win_length must be a multiple of 4 (features::stft's requirement).
Matrix fourier_tempogram_mag_from_onset(std::span<const float> onset_envelope, int win_length = 384);
Matrix fourier_tempogram_mag(std::span<const float> y);

// librosa.feature.stack_memory(y, n_steps, delay, mode='constant') of a 1-D signal (numpy's
// atleast_2d makes it [1, n]): row k is y delayed by k*delay samples, zeros shifted in.
// Shape [n_steps, n]. delay must be positive.
Matrix stack_memory(std::span<const float> y, int n_steps = 2, int delay = 1);

}  // namespace gtzan::features
