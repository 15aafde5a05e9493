// Chroma features on constant-Q magnitudes, librosa 0.10.2 feature/spectral.py:
// chroma_cqt, chroma_cens, chroma_vqt, tonnetz; filters.cq_to_chroma; util.normalize.
// util.normalize takes |S| in float64 and divides the float32 input by the float64 norm,
// storing float32: every normalisation below does the same.
#include <cblas.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "features/cqt.hpp"
#include "features/cqt_plan.hpp"

namespace gtzan::features {
namespace {

constexpr float kTiny32 = std::numeric_limits<float>::min();  // util.tiny(float32 array)

enum class Norm { L1, L2, Inf };

// util.normalize(S, norm, axis=-2) on a float32 [rows, frames] matrix, in place. Columns whose
// norm is below tiny(float32) are divided by 1 (fill=None). Rows are reduced in order.
void normalize_columns(Matrix& S, Norm norm) {
  std::vector<double> len(S.cols, 0.0);
  for (std::size_t r = 0; r < S.rows; ++r) {
    const float* row = S.row(r);
    for (std::size_t t = 0; t < S.cols; ++t) {
      const double m = std::abs(static_cast<double>(row[t]));
      if (norm == Norm::Inf) len[t] = std::max(len[t], m);
      else if (norm == Norm::L1) len[t] += m;
      else len[t] += m * m;
    }
  }
  for (std::size_t t = 0; t < S.cols; ++t) {
    if (norm == Norm::L2) len[t] = std::sqrt(len[t]);
    if (len[t] < static_cast<double>(kTiny32)) len[t] = 1.0;
  }
  for (std::size_t r = 0; r < S.rows; ++r) {
    float* row = S.row(r);
    for (std::size_t t = 0; t < S.cols; ++t)
      row[t] = static_cast<float>(static_cast<double>(row[t]) / len[t]);
  }
}

}  // namespace

Matrix cq_to_chroma(int n_input, int bins_per_octave, int n_chroma, double fmin) {
  if (n_chroma <= 0 || bins_per_octave <= 0 || bins_per_octave % n_chroma != 0)
    throw std::invalid_argument("cq_to_chroma: bins_per_octave must be a multiple of n_chroma");
  const int n_merge = bins_per_octave / n_chroma;
  const int shift = n_merge / 2;  // np.roll(..., -int(n_merge // 2), axis=1)
  // hz_to_midi(fmin) mod 12, rounded half to even (np.round), scaled to n_chroma.
  const double midi = 12.0 * (std::log2(fmin) - std::log2(440.0)) + 69.0;
  double midi_0 = std::fmod(midi, 12.0);
  if (midi_0 < 0) midi_0 += 12.0;
  const int roll = static_cast<int>(std::nearbyint(midi_0 * (n_chroma / 12.0)));
  Matrix M(static_cast<std::size_t>(n_chroma), static_cast<std::size_t>(n_input), 0.0f);
  for (int i = 0; i < n_input; ++i) {
    const int col = ((i % bins_per_octave) + shift) % bins_per_octave;  // rolled base column
    const int base_row = col / n_merge;
    const int row = ((base_row + roll) % n_chroma + n_chroma) % n_chroma;
    M.at(static_cast<std::size_t>(row), static_cast<std::size_t>(i)) = 1.0f;
  }
  return M;
}

Matrix chroma_from_cq(const Matrix& C, int bins_per_octave, bool inf_normalise) {
  const Matrix M = cq_to_chroma(static_cast<int>(C.rows), bins_per_octave, 12, kC1Hz);
  Matrix out(M.rows, C.cols);
  if (C.cols == 0) return out;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(M.rows),
              static_cast<int>(C.cols), static_cast<int>(M.cols), 1.0f, M.data.data(),
              static_cast<int>(M.cols), C.data.data(), static_cast<int>(C.cols), 0.0f,
              out.data.data(), static_cast<int>(C.cols));
  for (float& v : out.data)
    if (v < 0.0f) v = 0.0f;  // threshold=0.0
  if (inf_normalise) normalize_columns(out, Norm::Inf);
  return out;
}

Matrix chroma_cqt(std::span<const float> y, int sr, int hop) {
  return chroma_from_cq(cqt_magnitude(y, sr, hop, kC1Hz, 7 * 36, 36, kNaN), 36, true);
}

std::vector<double> chroma_cens_window() {
  // filters.get_window("hann", 43, fftbins=False) (symmetric) / its sum.
  constexpr int kWin = 43;
  std::vector<double> w(kWin);
  const double step = 2.0 * M_PI / (kWin - 1);  // linspace(-pi, pi, 43)
  for (int j = 0; j < kWin; ++j) w[j] = 0.5 + 0.5 * std::cos(j * step + -M_PI);
  w[kWin - 1] = 0.5 + 0.5 * std::cos(M_PI);
  double sum = 0.0;
  {
    // numpy pairwise sum for n < 128: eight running sums, combined pairwise, tail added.
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = w[j];
    int i = 8;
    for (; i < kWin - (kWin % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += w[i + j];
    sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < kWin; ++i) sum += w[i];
  }
  for (double& v : w) v /= sum;
  return w;
}

Matrix chroma_cens_from_raw(const Matrix& raw_chroma) {
  Matrix x = raw_chroma;
  normalize_columns(x, Norm::L1);
  // Quantisation: python-float thresholds compared in float32 (numpy<2 scalar casting).
  const float steps[4] = {0.4f, 0.2f, 0.1f, 0.05f};
  for (float& v : x.data) {
    float q = 0.0f;
    for (float s : steps) q += (v > s) ? 0.25f : 0.0f;
    v = q;
  }
  const std::vector<double> w = chroma_cens_window();
  constexpr int kWin = 43;
  // scipy.ndimage.convolve(mode="constant"): correlation with the flipped weights, centre 21,
  // float64 accumulation over the weights above DBL_EPSILON, result stored as float32.
  const int half = kWin / 2;
  Matrix cens(x.rows, x.cols);
  const long T = static_cast<long>(x.cols);
  for (std::size_t r = 0; r < x.rows; ++r) {
    const float* in = x.row(r);
    float* out = cens.row(r);
    for (long t = 0; t < T; ++t) {
      double acc = 0.0;
      for (int j = 0; j < kWin; ++j) {
        const double wf = w[kWin - 1 - j];
        if (!(std::abs(wf) > std::numeric_limits<double>::epsilon())) continue;
        const long k = t + j - half;
        const double v = (k >= 0 && k < T) ? static_cast<double>(in[k]) : 0.0;
        acc += v * wf;
      }
      out[t] = static_cast<float>(acc);
    }
  }
  normalize_columns(cens, Norm::L2);
  return cens;
}

Matrix chroma_cens(std::span<const float> y, int sr, int hop) {
  return chroma_cens_from_raw(
      chroma_from_cq(cqt_magnitude(y, sr, hop, kC1Hz, 7 * 36, 36, kNaN), 36, false));
}

Matrix chroma_vqt(std::span<const float> y, int sr, int hop) {
  return chroma_from_cq(vqt_magnitude(y, sr, hop, kC1Hz, 7 * 12, 12, 0.0, 0.0), 12, true);
}

Matrix tonnetz_from_chroma(const Matrix& chroma) {
  const std::size_t n = chroma.rows;
  Matrix x = chroma;
  normalize_columns(x, Norm::L1);
  const double scale[6] = {7.0 / 6, 7.0 / 6, 3.0 / 2, 3.0 / 2, 2.0 / 3, 2.0 / 3};
  const double R[6] = {1, 1, 1, 1, 0.5, 0.5};
  std::vector<double> phi(6 * n);
  const double dstep = 12.0 / static_cast<double>(n);  // linspace(0, 12, n, endpoint=False)
  for (int p = 0; p < 6; ++p)
    for (std::size_t c = 0; c < n; ++c) {
      double v = scale[p] * (static_cast<double>(c) * dstep);
      if (p % 2 == 0) v -= 0.5;
      phi[p * n + c] = R[p] * std::cos(M_PI * v);
    }
  Matrix out(6, x.cols);
  for (std::size_t t = 0; t < x.cols; ++t)
    for (int p = 0; p < 6; ++p) {
      double acc = 0.0;
      for (std::size_t c = 0; c < n; ++c) acc += phi[p * n + c] * static_cast<double>(x.at(c, t));
      out.at(p, t) = static_cast<float>(acc);
    }
  return out;
}

Matrix tonnetz(std::span<const float> y, int sr, int hop) {
  return tonnetz_from_chroma(chroma_cqt(y, sr, hop));
}

CqtFeatures cqt_features(std::span<const float> y, int sr, int hop, double tuning) {
  const Matrix raw = chroma_from_cq(cqt_magnitude(y, sr, hop, kC1Hz, 7 * 36, 36, tuning), 36, false);
  CqtFeatures f;
  f.chroma_cqt = raw;
  normalize_columns(f.chroma_cqt, Norm::Inf);
  f.chroma_cens = chroma_cens_from_raw(raw);
  f.tonnetz = tonnetz_from_chroma(f.chroma_cqt);
  return f;
}

}  // namespace gtzan::features
