#pragma once
// Frame-wise spectral descriptors, as librosa.feature.* 0.10 defaults (each [rows, frames]).
// `mag` is the magnitude spectrogram |X| (librosa's power=1 spectrogram), `power` is |X|^2.
#include <span>
#include <vector>

#include "core/matrix.hpp"
#include "features/params.hpp"

namespace gtzan::features {

Matrix spectral_centroid(const Matrix& mag, int sr = kSr, int n_fft = kNfft);
Matrix spectral_bandwidth(const Matrix& mag, int sr = kSr, int n_fft = kNfft);  // p = 2, norm
Matrix spectral_rolloff(const Matrix& mag, float roll_percent = 0.85f, int sr = kSr,
                        int n_fft = kNfft);
Matrix spectral_flatness(const Matrix& mag);  // power=2, amin 1e-10 (from the magnitude)
Matrix spectral_contrast(const Matrix& mag, int sr = kSr, int n_fft = kNfft);  // 7 rows
// Band k of spectral_contrast: bins [lo, hi), the `take` smallest/largest averaged (quantile).
inline constexpr int kContrastBands = 6;  // + 1 band above the last octave = 7 rows
struct ContrastBand {
  long lo, hi, take;
};
std::vector<ContrastBand> contrast_bands(int sr = kSr, int n_fft = kNfft);

// poly_features' least-squares map: coefficient k (ascending powers of the frequency) of a
// frame is sum_i P[k * bins + i] * mag[i]; [order + 1, 1 + n_fft/2] row-major, float64.
std::vector<double> poly_fit_matrix(int order, int sr = kSr, int n_fft = kNfft);

Matrix poly_features(const Matrix& mag, int order = 1, int sr = kSr, int n_fft = kNfft);
Matrix zero_crossing_rate(std::span<const float> y, int frame_length = kNfft, int hop = kHop);
Matrix rms(std::span<const float> y, int frame_length = kNfft, int hop = kHop);

}  // namespace gtzan::features
