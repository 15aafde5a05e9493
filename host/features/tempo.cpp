// librosa.feature.tempo and librosa.beat.beat_track (dynamic-programming beat tracker).
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "features/rhythm.hpp"
#include "features/rhythm_internal.hpp"
#include "features/stft.hpp"

namespace gtzan::features {
namespace {

constexpr double kStartBpm = 120.0;
constexpr double kStdBpm = 1.0;
constexpr double kMaxTempo = 320.0;
constexpr double kTightness = 100.0;

// librosa.tempo_frequencies: bpm of lag k = 60 * sr / (hop * k); lag 0 is inf.
double lag_bpm(std::size_t lag) {
  return 60.0 * static_cast<double>(kSr) / (static_cast<double>(kHop) * static_cast<double>(lag));
}

// __normalize_onsets: env / (std(env, ddof=1) + tiny(float32)), all in float32 with numpy's
// pairwise sums; the result is widened to float64 (the local-score loop runs in float64).
std::vector<double> normalize_onsets(std::span<const float> env) {
  const std::size_t n = env.size();
  const float mean = detail::numpy_pairwise_sum(env.data(), n) / static_cast<float>(n);
  std::vector<float> sq(n);
  for (std::size_t i = 0; i < n; ++i) {
    const float d = env[i] - mean;
    sq[i] = d * d;
  }
  const float var = detail::numpy_pairwise_sum(sq.data(), n) / static_cast<float>(n - 1);
  const float denom = std::sqrt(var) + std::numeric_limits<float>::min();
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<double>(env[i] / denom);
  return out;
}

// __beat_local_score: "same" convolution with a Gaussian of +-fpb frames (sigma fpb/32), with
// librosa's index range (the newest sample of each window is excluded at the signal start).
std::vector<double> local_score(const std::vector<double>& onset, double fpb) {
  const long N = static_cast<long>(onset.size());
  const long K = 2 * static_cast<long>(fpb) + 1;
  std::vector<double> window(static_cast<std::size_t>(K));
  for (long k = 0; k < K; ++k) {
    const double z = (static_cast<double>(k) - fpb) * 32.0 / fpb;
    window[k] = std::exp(-0.5 * (z * z));
  }
  std::vector<double> score(onset.size(), 0.0);
  const long h = K / 2;
  for (long i = 0; i < N; ++i) {
    double s = 0.0;
    for (long k = std::max(0L, i + h - N + 1); k < std::min(i + h, K); ++k)
      s += window[k] * onset[i + h - k];
    score[i] = s;
  }
  return score;
}

}  // namespace

double tempo_from_onset(std::span<const float> env) {
  // win_length = time_to_frames(8 s) = int(8 * 22050) // 512 = 344 lags.
  const int win = static_cast<int>(static_cast<long>(8.0 * kSr) / kHop);
  const std::size_t n = env.size();
  const auto tg = detail::tempogram_f64(env, win);
  // Mean over frames (np.mean along the contiguous axis: pairwise float64 sum / n), then
  // argmax of log1p(1e6 * mean) + log-normal prior, lags with bpm >= 320 excluded.
  double best = -std::numeric_limits<double>::infinity();
  std::size_t best_lag = 0;
  const double log2_start = std::log2(kStartBpm);
  for (std::size_t lag = 0; lag < static_cast<std::size_t>(win); ++lag) {
    const double bpm = lag == 0 ? std::numeric_limits<double>::infinity() : lag_bpm(lag);
    double prior = -std::numeric_limits<double>::infinity();
    if (bpm < kMaxTempo) {
      const double z = (std::log2(bpm) - log2_start) / kStdBpm;
      prior = -0.5 * (z * z);
    }
    const double mean = n ? detail::numpy_pairwise_sum(tg.data() + lag * n, n) / static_cast<double>(n)
                          : std::numeric_limits<double>::quiet_NaN();
    const double score = std::log1p(1000000.0 * mean) + prior;
    // np.argmax: first maximum; a NaN wins (and stays) like numpy's.
    if (std::isnan(score)) {
      if (!std::isnan(best)) best_lag = lag;
      best = score;
      break;
    }
    if (score > best) {
      best = score;
      best_lag = lag;
    }
  }
  return best_lag == 0 ? std::numeric_limits<double>::infinity() : lag_bpm(best_lag);
}

BeatTrack beat_track_from_onset(std::span<const float> env) {
  BeatTrack result;
  if (std::none_of(env.begin(), env.end(), [](float v) { return v != 0.0f; })) return result;
  result.tempo = tempo_from_onset(env);
  const std::size_t N = env.size();

  // frames_per_beat = np.round(frame_rate * 60 / bpm) (round half to even).
  const double frame_rate = static_cast<double>(kSr) / kHop;
  const double fpb = std::nearbyint(frame_rate * 60.0 / result.tempo);
  if (!(fpb > 0)) return result;  // librosa would divide by zero; no beats at an infinite tempo

  const auto localscore = local_score(normalize_onsets(env), fpb);

  // __beat_track_dp: cumulative score with a log-squared penalty on the inter-beat interval.
  std::vector<double> cumscore(N);
  std::vector<long> backlink(N);
  const double score_thresh = 0.01 * *std::max_element(localscore.begin(), localscore.end());
  bool first_beat = true;
  const long start_off = static_cast<long>(std::nearbyint(fpb / 2.0));
  const long stop_off = static_cast<long>(2.0 * fpb) + 1;
  const double log_fpb = std::log(fpb);
  for (long i = 0; i < static_cast<long>(N); ++i) {
    double best_score = -std::numeric_limits<double>::infinity();
    long beat_location = -1;
    for (long loc = i - start_off; loc > i - stop_off; --loc) {
      if (loc < 0) break;
      const double d = std::log(static_cast<double>(i - loc)) - log_fpb;
      const double score = cumscore[loc] - kTightness * (d * d);
      if (score > best_score) {
        best_score = score;
        beat_location = loc;
      }
    }
    cumscore[i] = beat_location >= 0 ? localscore[i] + best_score : localscore[i];
    if (first_beat && localscore[i] < score_thresh) {
      backlink[i] = -1;
    } else {
      backlink[i] = beat_location;
      first_beat = false;
    }
  }

  // __last_beat: the last local maximum of cumscore reaching half the median local maximum
  // (localmax: x[i] > x[i-1] and x[i] >= x[i+1]; never the first frame; the last frame if it
  // exceeds its predecessor).
  std::vector<char> is_max(N, 0);
  for (std::size_t i = 1; i + 1 < N; ++i)
    is_max[i] = cumscore[i] > cumscore[i - 1] && cumscore[i] >= cumscore[i + 1];
  if (N >= 2) is_max[N - 1] = cumscore[N - 1] > cumscore[N - 2];
  std::vector<double> maxima;
  for (std::size_t i = 0; i < N; ++i)
    if (is_max[i]) maxima.push_back(cumscore[i]);
  long tail = static_cast<long>(N) - 1;
  if (!maxima.empty()) {
    std::sort(maxima.begin(), maxima.end());
    const std::size_t h = maxima.size() / 2;
    const double median = maxima.size() % 2 ? maxima[h] : (maxima[h - 1] + maxima[h]) / 2.0;
    const double threshold = 0.5 * median;
    for (long n = static_cast<long>(N) - 1; n >= 0; --n)
      if (is_max[n] && cumscore[n] >= threshold) {
        tail = n;
        break;
      }
  }

  std::vector<char> beats(N, 0);
  for (long n = tail; n >= 0; n = backlink[n]) beats[n] = 1;

  // __trim_beats: drop leading/trailing frames whose local score is at most half the RMS of
  // the Hann(5)-smoothed beat scores. librosa smooths with np.convolve(scores, hanning(5))
  // (full, M + 4 values) sliced [2, N + 2): that keeps the M + 2 values from index 2 on (the
  // slice reaches past the end since N > M), so the mean includes the half-weighted tail.
  std::vector<double> at_beats;
  for (std::size_t i = 0; i < N; ++i)
    if (beats[i]) at_beats.push_back(localscore[i]);
  double w[5];
  for (int k = 0; k < 5; ++k) w[k] = 0.5 + 0.5 * std::cos(M_PI * (2 * k - 4) / 4.0);  // np.hanning(5)
  const long M = static_cast<long>(at_beats.size());
  const long full_len = M + 4;
  const long lo = 2, hi = std::min(full_len, static_cast<long>(N) + 2);
  double sum_sq = 0.0;  // numba's mean: a sequential sum
  for (long j = lo; j < hi; ++j) {
    double s = 0.0;  // full convolution entry j = sum_k at_beats[j - k] * w[k]
    for (int k = 0; k < 5; ++k) {
      const long idx = j - k;
      if (idx >= 0 && idx < M) s += at_beats[idx] * w[k];
    }
    sum_sq += s * s;
  }
  const double threshold = hi > lo ? 0.5 * std::sqrt(sum_sq / static_cast<double>(hi - lo)) : 0.0;
  for (std::size_t n = 0; n < N && localscore[n] <= threshold; ++n) beats[n] = 0;
  for (long n = static_cast<long>(N) - 1; n >= 0 && localscore[n] <= threshold; --n) beats[n] = 0;

  for (std::size_t i = 0; i < N; ++i)
    if (beats[i]) result.beats.push_back(static_cast<int>(i));
  return result;
}

BeatTrack beat_track_from_power(const Matrix& power) {
  const Matrix env = onset_strength_from_power(power, OnsetAggregate::Median);
  return beat_track_from_onset(env.data);
}

BeatTrack beat_track(std::span<const float> y) {
  return beat_track_from_power(spectrogram_power(stft(y), 2.0f));
}

}  // namespace gtzan::features
