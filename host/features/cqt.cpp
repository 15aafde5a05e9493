// librosa 0.10.2 vqt/cqt on float32 input (see cqt.hpp). Dtypes follow numpy<2 (the goldens):
// the wavelets are built in float64 and cast to complex64, scaled by length / n_fft in float64,
// FFT'd in float64 (numpy<2 promotes complex64), sparsified and stored as complex64; the STFT
// frames are float64 FFTs rounded to complex64; the sparse product accumulates in complex64
// (scipy's csr_matvecs order); the final 1/sqrt(length) scaling is done in float64.
#include "features/cqt.hpp"
#include "features/cqt_plan.hpp"

#include <kissfft/kissfft.hh>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "audio/audio_io.hpp"
#include "features/chroma.hpp"
#include "features/stft.hpp"

namespace gtzan::features {
namespace {

using Fft = kissfft<double>;
using cd = std::complex<double>;
using cf = std::complex<float>;

const Fft& fft_plan(int n) {
  static std::mutex mutex;
  static std::unordered_map<int, std::unique_ptr<Fft>> plans;
  std::lock_guard lock(mutex);
  auto& slot = plans[n];
  if (!slot) slot = std::make_unique<Fft>(static_cast<std::size_t>(n), false);
  return *slot;
}

// numpy's pairwise summation (float64 add.reduce over a contiguous axis).
double pairwise_sum(const double* a, std::size_t n) {
  if (n < 8) {
    double r = 0.0;
    for (std::size_t i = 0; i < n; ++i) r += a[i];
    return r;
  }
  if (n <= 128) {
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

constexpr double kHannBandwidth = 1.50018310546875;  // filters.WINDOW_BANDWIDTHS["hann"]

struct Lengths {
  std::vector<double> lengths;
  double f_cutoff = 0;
};

// filters.wavelet_lengths(freqs, sr, window="hann", filter_scale=1, gamma, alpha).
Lengths wavelet_lengths(const double* freqs, const double* alpha, std::size_t n, double sr,
                        double gamma) {
  Lengths out;
  out.lengths.resize(n);
  out.f_cutoff = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < n; ++k) {
    const double g = std::isnan(gamma) ? alpha[k] * 24.7 / 0.108 : gamma;
    const double Q = 1.0 / alpha[k];
    out.f_cutoff = std::max(out.f_cutoff, freqs[k] * (1.0 + 0.5 * kHannBandwidth / Q) + 0.5 * g);
    out.lengths[k] = Q * sr / (freqs[k] + g / alpha[k]);
  }
  return out;
}

// __vqt_filter_fft for one octave (hop_length not passed there, so no n_fft adjustment), with
// vqt's `fft_basis *= sqrt(sr / my_sr)` applied in float32 (numpy<2 scalar casting).
OctaveBasis octave_basis(const double* freqs, const double* alpha, std::size_t n, double my_sr,
                         double gamma, float basis_scale) {
  const Lengths L = wavelet_lengths(freqs, alpha, n, my_sr, gamma);
  const double max_len = *std::max_element(L.lengths.begin(), L.lengths.end());
  const int n_fft = static_cast<int>(std::pow(2.0, std::ceil(std::log2(max_len))));
  OctaveBasis ob;
  ob.n_fft = n_fft;
  ob.row_ptr.push_back(0);
  ob.col_lo = n_fft;
  ob.col_hi = 0;
  const int n_keep = n_fft / 2 + 1;
  const Fft& fft = fft_plan(n_fft);
  std::vector<cd> sig, padded(n_fft), spec(n_fft);
  std::vector<double> mag, sorted(n_keep), mags(n_keep);
  for (std::size_t k = 0; k < n; ++k) {
    const double ilen = L.lengths[k];
    // np.arange(-ilen // 2, ilen // 2, dtype=float) * 2 * np.pi * freq / sr
    const double start = std::floor(-ilen / 2.0), stop = std::floor(ilen / 2.0);
    const int len = static_cast<int>(stop - start);
    sig.assign(len, cd{});
    mag.resize(len);
    // scipy hann(len, sym=False) = 0.5 + 0.5 * cos(linspace(-pi, pi, len + 1))[:len]
    const double wstep = 2.0 * M_PI / len;
    for (int j = 0; j < len; ++j) {
      const double ang = (start + j) * 2.0 * M_PI * freqs[k] / my_sr;
      const double w = 0.5 + 0.5 * std::cos(j * wstep + -M_PI);
      sig[j] = {std::cos(ang) * w, std::sin(ang) * w};
      mag[j] = std::hypot(sig[j].real(), sig[j].imag());
    }
    // util.normalize(norm=1): numpy complex division by (length + 0j) multiplies by 1/length.
    const double scl = 1.0 / pairwise_sum(mag.data(), mag.size());
    const int lpad = (n_fft - len) / 2;
    std::fill(padded.begin(), padded.end(), cd{});
    const double factor = L.lengths[k] / static_cast<double>(n_fft);
    for (int j = 0; j < len; ++j) {
      // cast to complex64, then basis *= lengths / n_fft (complex128 product, back to c64)
      const float re = static_cast<float>(sig[j].real() * scl);
      const float im = static_cast<float>(sig[j].imag() * scl);
      padded[lpad + j] = {static_cast<double>(static_cast<float>(re * factor)),
                          static_cast<double>(static_cast<float>(im * factor))};
    }
    fft.transform(padded.data(), spec.data());
    // util.sparsify_rows(quantile=0.01): keep entries >= the magnitude at which the sorted
    // cumulative L1 mass first reaches 1%.
    for (int b = 0; b < n_keep; ++b) mags[b] = std::hypot(spec[b].real(), spec[b].imag());
    const double norm = pairwise_sum(mags.data(), mags.size());
    sorted = mags;
    std::sort(sorted.begin(), sorted.end());
    double cum = 0.0;
    int j = 0;
    for (; j < n_keep; ++j) {
      cum += sorted[j] / norm;
      if (!(cum < 0.01)) break;
    }
    if (j == n_keep) j = 0;  // np.argmin of an all-True mask
    const double thr = sorted[j];
    for (int b = 0; b < n_keep; ++b) {
      if (!(mags[b] >= thr)) continue;
      const float re = static_cast<float>(spec[b].real()) * basis_scale;
      const float im = static_cast<float>(spec[b].imag()) * basis_scale;
      ob.cols.push_back(b);
      ob.vals.push_back({re, im});
      ob.col_lo = std::min(ob.col_lo, b);
      ob.col_hi = std::max(ob.col_hi, b + 1);
    }
    ob.row_ptr.push_back(ob.cols.size());
  }
  if (ob.col_hi <= ob.col_lo) ob.col_lo = ob.col_hi = 0;
  return ob;
}

int num_two_factors(int x) {
  if (x <= 0) return 0;
  int n = 0;
  while (x % 2 == 0) {
    ++n;
    x /= 2;
  }
  return n;
}

using PlanKey = std::tuple<int, int, std::uint64_t, int, int, std::uint64_t, std::uint64_t>;

std::uint64_t bits(double v) {
  std::uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}

std::shared_ptr<const VqtPlan> build_plan(int sr, int hop, double fmin_tuned, int n_bins,
                                          int bpo, double gamma) {
  if (n_bins <= 0 || bpo <= 0) throw std::invalid_argument("vqt: n_bins and bins_per_octave must be positive");
  auto plan = std::make_shared<VqtPlan>();
  plan->n_bins = n_bins;
  plan->n_octaves = static_cast<int>(std::ceil(static_cast<double>(n_bins) / bpo));
  plan->n_filters = std::min(bpo, n_bins);
  // interval_frequencies(intervals="equal", sort=True)
  std::vector<double> freqs(n_bins);
  for (int i = 0; i < n_bins; ++i) {
    const int o = i / bpo, k = i % bpo;
    const double ratio = std::pow(2.0, (0.0 + k) / bpo);
    freqs[i] = std::pow(2.0, static_cast<double>(o)) * ratio;
  }
  std::sort(freqs.begin(), freqs.end());
  for (double& f : freqs) f *= fmin_tuned;
  // filters._relative_bandwidth (or __et_relative_bw for a single bin)
  std::vector<double> alpha(n_bins);
  if (n_bins == 1) {
    const double r = std::pow(2.0, 1.0 / bpo);
    alpha[0] = (r * r - 1) / (r * r + 1);
  } else {
    std::vector<double> logf(n_bins), b(n_bins);
    for (int i = 0; i < n_bins; ++i) logf[i] = std::log2(freqs[i]);
    b[0] = 1.0 / (logf[1] - logf[0]);
    b[n_bins - 1] = 1.0 / (logf[n_bins - 1] - logf[n_bins - 2]);
    for (int i = 1; i + 1 < n_bins; ++i) b[i] = 2.0 / (logf[i + 1] - logf[i - 1]);
    for (int i = 0; i < n_bins; ++i) {
      const double p = std::pow(2.0, 2.0 / b[i]);
      alpha[i] = (p - 1.0) / (p + 1.0);
    }
  }
  const Lengths full = wavelet_lengths(freqs.data(), alpha.data(), n_bins, sr, gamma);
  const double nyquist = sr / 2.0;
  if (full.f_cutoff > nyquist)
    throw std::invalid_argument("vqt: wavelet basis would exceed the Nyquist frequency");
  // __early_downsample_count
  const int c1 = std::max(0, static_cast<int>(std::ceil(std::log2(nyquist / full.f_cutoff)) - 1) - 1);
  const int c2 = std::max(0, num_two_factors(hop) - plan->n_octaves + 1);
  plan->downsample_count = std::min(c1, c2);
  double my_sr = sr;
  int my_hop = hop;
  if (plan->downsample_count > 0) {
    const int factor = 1 << plan->downsample_count;
    my_hop /= factor;
    my_sr = sr / static_cast<double>(factor);
  }
  plan->sr = my_sr;
  plan->hop = my_hop;
  const double sr_eff = my_sr;
  for (int i = 0; i < plan->n_octaves; ++i) {
    const int hi = n_bins - plan->n_filters * i;
    const int lo = std::max(0, n_bins - plan->n_filters * (i + 1));
    const float s = static_cast<float>(std::sqrt(sr_eff / my_sr));
    plan->octaves.push_back(
        octave_basis(freqs.data() + lo, alpha.data() + lo, hi - lo, my_sr, gamma, s));
    plan->octave_lo.push_back(lo);
    const bool halve = my_hop % 2 == 0;
    plan->halve_after.push_back(halve);
    if (halve) {
      my_hop /= 2;
      my_sr /= 2.0;
    }
  }
  // final scale=True: V /= sqrt(lengths) (lengths at the early-downsampled sr)
  const Lengths fin = wavelet_lengths(freqs.data(), alpha.data(), n_bins, sr_eff, gamma);
  plan->inv_sqrt_len.resize(n_bins);
  for (int i = 0; i < n_bins; ++i) plan->inv_sqrt_len[i] = 1.0 / std::sqrt(fin.lengths[i]);
  return plan;
}

std::shared_ptr<const VqtPlan> get_plan(int sr, int hop, double fmin_tuned, int n_bins, int bpo,
                                        double gamma) {
  static std::mutex mutex;
  static std::map<PlanKey, std::shared_ptr<const VqtPlan>> cache;
  const PlanKey key{sr, hop, bits(fmin_tuned), n_bins, bpo, bits(gamma), 0};
  {
    std::lock_guard lock(mutex);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
  }
  auto plan = build_plan(sr, hop, fmin_tuned, n_bins, bpo, gamma);
  std::lock_guard lock(mutex);
  if (cache.size() >= 512) cache.clear();  // tuning estimates vary per clip: bound the cache
  return cache.emplace(key, std::move(plan)).first->second;
}

// __cqt_response: librosa.stft(y, n_fft, hop, window="ones", center=True, pad_mode constant,
// dtype complex64) restricted to the basis' columns, then fft_basis.dot(D) in complex64.
// Output rows [n_rows, frames] as interleaved complex<float>.
std::vector<cf> octave_response(std::span<const float> y, const OctaveBasis& ob, int hop,
                                std::size_t& frames_out) {
  const int n_fft = ob.n_fft;
  if (n_fft < 4 || n_fft % 4 != 0) throw std::invalid_argument("vqt: filter FFT size too small");
  const std::size_t n = y.size();
  const std::size_t frames = 1 + n / static_cast<std::size_t>(hop);
  frames_out = frames;
  const int lo = ob.col_lo, nb = ob.col_hi - ob.col_lo;
  std::vector<cf> D(static_cast<std::size_t>(nb) * frames);
  const Fft& fft = fft_plan(n_fft / 2);
  std::vector<double> frame(n_fft);
  std::vector<cd> spectrum(n_fft / 2);
  const long pad = n_fft / 2;
  for (std::size_t t = 0; t < frames; ++t) {
    const long start = static_cast<long>(t) * hop - pad;
    for (int i = 0; i < n_fft; ++i) {
      const long k = start + i;
      frame[i] = (k >= 0 && k < static_cast<long>(n)) ? static_cast<double>(y[k]) : 0.0;
    }
    fft.transform_real(frame.data(), spectrum.data());
    for (int b = 0; b < nb; ++b) {
      const int bin = lo + b;
      cd v;
      if (bin == 0) v = {spectrum[0].real(), 0.0};
      else if (bin == n_fft / 2) v = {spectrum[0].imag(), 0.0};
      else v = spectrum[bin];
      D[static_cast<std::size_t>(b) * frames + t] = {static_cast<float>(v.real()),
                                                      static_cast<float>(v.imag())};
    }
  }
  const int rows = ob.rows();
  std::vector<cf> out(static_cast<std::size_t>(rows) * frames, cf{});
  for (int r = 0; r < rows; ++r) {
    float* o = reinterpret_cast<float*>(out.data() + static_cast<std::size_t>(r) * frames);
    for (std::size_t jj = ob.row_ptr[r]; jj < ob.row_ptr[r + 1]; ++jj) {
      const float ar = ob.vals[jj].real(), ai = ob.vals[jj].imag();
      const float* x = reinterpret_cast<const float*>(
          D.data() + static_cast<std::size_t>(ob.cols[jj] - lo) * frames);
      for (std::size_t t = 0; t < frames; ++t) {
        const float xr = x[2 * t], xi = x[2 * t + 1];
        const float pr = ar * xr - ai * xi;
        const float pi = ar * xi + ai * xr;
        o[2 * t] += pr;
        o[2 * t + 1] += pi;
      }
    }
  }
  return out;
}

}  // namespace

std::shared_ptr<const VqtPlan> vqt_plan(int sr, int hop, double fmin_tuned, int n_bins, int bpo,
                                        double gamma) {
  return get_plan(sr, hop, fmin_tuned, n_bins, bpo, gamma);
}

VqtInput prepare_vqt(std::span<const float> y, int sr, int hop, double fmin, int n_bins,
                     int bins_per_octave, double gamma, double tuning) {
  if (y.empty()) throw std::invalid_argument("vqt: empty signal");
  if (hop <= 0) throw std::invalid_argument("vqt: hop must be positive");
  if (std::isnan(tuning)) tuning = estimate_tuning(y, sr, bins_per_octave);
  const double fmin_tuned = fmin * std::pow(2.0, tuning / bins_per_octave);
  VqtInput in;
  in.plan = get_plan(sr, hop, fmin_tuned, n_bins, bins_per_octave, gamma);
  const VqtPlan& plan = *in.plan;
  std::vector<float> cur(y.begin(), y.end());
  if (plan.downsample_count > 0) {
    const int factor = 1 << plan.downsample_count;
    if (y.size() < static_cast<std::size_t>(factor))
      throw std::invalid_argument("vqt: signal too short for the early downsampling");
    cur = audio::resample(y, factor, 1, true);
  }
  int my_hop = plan.hop;
  for (int i = 0; i < plan.n_octaves; ++i) {
    in.signals.push_back(cur);
    in.hops.push_back(my_hop);
    if (plan.halve_after[i] && i + 1 < plan.n_octaves) {
      my_hop /= 2;
      cur = audio::resample(cur, 2, 1, true);
    }
  }
  return in;
}

double estimate_tuning(std::span<const float> y, int sr, int bins_per_octave) {
  if (y.empty()) return 0.0;
  return estimate_tuning(stft(y, kNfft, kHop), sr, bins_per_octave);
}

double estimate_tuning(const ComplexSpectrogram& X, int sr, int bins_per_octave) {
  if (X.frames == 0) return 0.0;
  Matrix S(X.bins, X.frames);
  // np.abs(complex64): hypotf
  for (std::size_t i = 0; i < X.data.size(); ++i)
    S.data[i] = std::hypot(X.data[i].real(), X.data[i].imag());
  return estimate_tuning_f64(S, sr, kNfft, bins_per_octave);
}

Matrix vqt_magnitude(std::span<const float> y, int sr, int hop, double fmin, int n_bins,
                     int bins_per_octave, double gamma, double tuning) {
  const VqtInput in = prepare_vqt(y, sr, hop, fmin, n_bins, bins_per_octave, gamma, tuning);
  const auto& plan = in.plan;
  std::vector<std::vector<cf>> resp(plan->n_octaves);
  std::vector<std::size_t> frames(plan->n_octaves);
  for (int i = 0; i < plan->n_octaves; ++i)
    resp[i] = octave_response(in.signals[i], plan->octaves[i], in.hops[i], frames[i]);
  // __trim_stack, scale by 1/sqrt(length) in float64 -> complex64, np.abs (hypotf).
  const std::size_t T = *std::min_element(frames.begin(), frames.end());
  Matrix V(static_cast<std::size_t>(n_bins), T);
  for (int i = 0; i < plan->n_octaves; ++i) {
    const int lo = plan->octave_lo[i];
    const int rows = plan->octaves[i].rows();
    for (int r = 0; r < rows; ++r) {
      const int bin = lo + r;
      const double s = plan->inv_sqrt_len[bin];
      const cf* src = resp[i].data() + static_cast<std::size_t>(r) * frames[i];
      float* dst = V.row(bin);
      for (std::size_t t = 0; t < T; ++t) {
        const float re = static_cast<float>(static_cast<double>(src[t].real()) * s);
        const float im = static_cast<float>(static_cast<double>(src[t].imag()) * s);
        dst[t] = std::hypot(re, im);
      }
    }
  }
  return V;
}

Matrix cqt_magnitude(std::span<const float> y, int sr, int hop, double fmin, int n_bins,
                     int bins_per_octave, double tuning) {
  return vqt_magnitude(y, sr, hop, fmin, n_bins, bins_per_octave, 0.0, tuning);
}

}  // namespace gtzan::features
