// Rhythm features (onset strength, tempo + beats, tempogram, Fourier tempogram, stack_memory)
// against librosa 0.10.2's goldens and the seed309 rows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "audio/audio_io.hpp"
#include "features/rhythm.hpp"
#include "features/stft.hpp"
#include "fixtures.hpp"

using namespace gtzan;

namespace {

Matrix power_of(std::span<const float> y) {
  return features::spectrogram_power(features::stft(y), 2.0f);
}

// float64 mean and population variance of a float32 matrix (as the feature sets compute them).
std::pair<double, double> mean_var(const Matrix& m) {
  if (m.data.empty()) return {0.0, 0.0};
  double s = 0;
  for (float v : m.data) s += v;
  const double mean = s / m.data.size();
  double q = 0;
  for (float v : m.data) q += (v - mean) * (v - mean);
  return {mean, q / m.data.size()};
}

}  // namespace

TEST_CASE("onset strength, tempo and beats match librosa on every fixture clip", "[rhythm][librosa]") {
  for (const auto& clip : test::fixture_clips()) {
    INFO("clip " << clip);
    const auto y = audio::load_mono(test::clip_wav(clip));
    const Matrix power = power_of(y);

    const Matrix env = features::onset_strength_from_power(power);
    const auto d = test::compare(env, test::golden(clip, "onset_strength"));
    INFO("onset max_abs " << d.max_abs << " peak " << d.ref_peak << " rel " << d.rel_to_peak);
    // README: librosa float32 vs float64 differ by up to 3.3e-7 of the peak (music_b); our mel
    // sgemm sums in another order. 1e-5 of the peak keeps margin and still catches any
    // structural error (a wrong shift or aggregate changes values by O(peak)).
    CHECK(d.rel_to_peak < 1e-5);
    CHECK(features::onset_strength(y).data == env.data);  // waveform overload = power overload
    WARN("onset_strength " << clip << " rel_to_peak " << d.rel_to_peak);

    // tempo and beat frames: bit-identical between librosa's float32 and float64 runs, so we
    // require exact equality (the tempo is a lag's 60*sr/(hop*lag), the beats integer frames).
    const auto bt = features::beat_track_from_power(power);
    const auto g_tempo = test::golden(clip, "tempo");
    REQUIRE(g_tempo.data.size() == 1);
    CHECK(bt.tempo == g_tempo.data[0]);
    const auto g_beats = test::golden(clip, "beat_frames");
    std::vector<int> want(g_beats.data.begin(), g_beats.data.end());
    CHECK(bt.beats == want);
    WARN("tempo " << clip << " ours " << bt.tempo << " librosa " << g_tempo.data[0] << ", "
                  << bt.beats.size() << " beats (librosa " << want.size() << ")");
  }
}

TEST_CASE("an all-zero onset envelope gives tempo 0 and no beats", "[rhythm]") {
  const std::vector<float> zeros(200, 0.0f);
  const auto bt = features::beat_track_from_onset(zeros);
  CHECK(bt.tempo == 0.0);
  CHECK(bt.beats.empty());
}

TEST_CASE("tempogram and Fourier tempogram match librosa on every fixture clip", "[rhythm][librosa]") {
  for (const auto& clip : test::fixture_clips()) {
    INFO("clip " << clip);
    const auto y = audio::load_mono(test::clip_wav(clip));
    const Matrix env = features::onset_strength_from_power(power_of(y));

    const Matrix tg = features::tempogram_from_onset(env.data);
    const auto dt = test::compare(tg, test::golden(clip, "tempogram"));
    INFO("tempogram max_abs " << dt.max_abs << " peak " << dt.ref_peak);
    // README: seed309 tempogram columns differ by <= 3.7e-7 relative between librosa's float32
    // and float64 runs; per-frame inf-normalisation keeps values in [-1, 1], so 1e-5 of the
    // peak tolerates the onset envelope's ~1e-6 rounding but not a wrong pad, window or lag.
    CHECK(dt.rel_to_peak < 1e-5);
    CHECK(features::tempogram(y).data == tg.data);

    const Matrix ft = features::fourier_tempogram_mag_from_onset(env.data);
    const auto df = test::compare(ft, test::golden(clip, "fourier_tempogram_mag"));
    INFO("fourier max_abs " << df.max_abs << " peak " << df.ref_peak);
    // README: fourier_tempogram columns differ by <= 8.8e-7 relative (float32 vs float64); the
    // magnitude is a linear function of the onset envelope (error ~1e-6 of its peak): 1e-5.
    CHECK(df.rel_to_peak < 1e-5);
    CHECK(features::fourier_tempogram_mag(y).data == ft.data);
    WARN("tempogram " << clip << " rel_to_peak " << dt.rel_to_peak << "; fourier_tempogram_mag rel_to_peak "
                      << df.rel_to_peak);
  }
}

TEST_CASE("stack_memory follows librosa's definition", "[rhythm]") {
  // librosa docstring: stack_memory(arange(-3, 3)) = [[-3..2], [0, -3, -2, -1, 0, 1]] and
  // n_steps=3 adds [0, 0, -3, -2, -1, 0]; delay 2 shifts by 2 per step.
  const std::vector<float> x = {-3, -2, -1, 0, 1, 2};
  const Matrix m2 = features::stack_memory(x);
  REQUIRE(m2.rows == 2);
  REQUIRE(m2.cols == 6);
  CHECK(m2.data == std::vector<float>{-3, -2, -1, 0, 1, 2, 0, -3, -2, -1, 0, 1});
  const Matrix m3 = features::stack_memory(x, 3);
  CHECK(m3.data == std::vector<float>{-3, -2, -1, 0, 1, 2, 0, -3, -2, -1, 0, 1, 0, 0, -3, -2, -1, 0});
  const Matrix d2 = features::stack_memory(x, 3, 2);
  CHECK(d2.data == std::vector<float>{-3, -2, -1, 0, 1, 2, 0, 0, -3, -2, -1, 0, 0, 0, 0, 0, -3, -2});
  CHECK_THROWS(features::stack_memory(x, 2, 0));
}

namespace {

// One seed309 CSV: tempo (exact), tempogram / fourier_tempogram / stack_memory mean and var.
void check_rows(const std::string& table_name, bool pad, std::size_t segments) {
  const auto table = test::read_csv(test::librosa_fixtures() / table_name);
  REQUIRE(!table.rows.empty());
  const std::vector<std::string> cols = {"tempo", "tempogram_mean", "tempogram_var",
                                         "fourier_tempogram_mean", "fourier_tempogram_var",
                                         "stack_memory_mean", "stack_memory_var",
                                         "tempogram_ratio_mean", "tempogram_ratio_var"};
  std::map<std::string, int> idx;
  for (const auto& c : cols) {
    idx[c] = table.column(c);
    REQUIRE(idx[c] >= 0);
  }
  std::map<std::string, double> worst;
  std::map<std::string, std::vector<std::vector<float>>> clips;
  for (const auto& row : table.rows) {
    const std::string file = row[0];
    if (!clips.count(file)) {
      auto y = audio::load_mono(test::librosa_fixtures() / "wav" / file);
      if (pad) y = audio::fix_length(y, audio::kTrackSamples);
      clips[file] = segments ? audio::array_split(y, segments)
                             : std::vector<std::vector<float>>{std::move(y)};
    }
    const std::size_t seg = segments ? std::stoul(row[2]) : 0;
    const auto& y = clips[file][seg];
    const Matrix power = power_of(y);
    const Matrix env = features::onset_strength_from_power(power);
    std::map<std::string, double> ours;
    ours["tempo"] = features::beat_track_from_power(power).tempo;
    std::tie(ours["tempogram_mean"], ours["tempogram_var"]) = mean_var(features::tempogram_from_onset(env.data));
    ours["tempogram_ratio_mean"] = ours["tempogram_mean"];
    ours["tempogram_ratio_var"] = ours["tempogram_var"];
    std::tie(ours["fourier_tempogram_mean"], ours["fourier_tempogram_var"]) =
        mean_var(features::fourier_tempogram_mag_from_onset(env.data));
    std::tie(ours["stack_memory_mean"], ours["stack_memory_var"]) = mean_var(features::stack_memory(y));

    for (const auto& c : cols) {
      const double want = std::stod(row[idx[c]]);
      const double got = ours[c];
      INFO(table_name << " " << file << " seg " << seg << " " << c << ": ours " << got << " librosa " << want);
      if (c == "tempo") {
        CHECK(got == want);  // bit-identical in librosa's float32 and float64 pipelines
        continue;
      }
      // Relative error with a floor: stack_memory_mean is a near-zero mean of the waveform
      // (e.g. -1.1e-7 for chord, 0 for silence) that numpy accumulates in float32 (pairwise),
      // so its error is judged against the variance's scale: |diff| <= 1e-5 * max(|want|,
      // 1e-3 * sqrt(var)). Everything else: 1e-5 relative (README float32-vs-float64 spread:
      // <= 2.2e-6 relative for these columns).
      double floor = 1e-30;
      if (c == "stack_memory_mean")
        floor = std::max(floor, 1e-3 * std::sqrt(std::stod(row[idx["stack_memory_var"]])));
      const double err = std::abs(got - want) / std::max(std::abs(want), floor);
      worst[c] = std::max(worst[c], err);
      CHECK(err <= 1e-5);
    }
  }
  std::string summary;
  for (const auto& [c, w] : worst) {
    char buf[96];
    std::snprintf(buf, sizeof buf, " %s=%.2g", c.c_str(), w);
    summary += buf;
  }
  WARN(table_name << " worst relative error:" << summary);
}

}  // namespace

TEST_CASE("rhythm columns match librosa's unpadded rows", "[rhythm][rows][librosa]") {
  check_rows("seed309_unpadded.csv", false, 0);
}

TEST_CASE("rhythm columns match librosa's 30-s track rows", "[rhythm][rows][librosa]") {
  check_rows("seed309_track.csv", true, 0);
}

TEST_CASE("rhythm columns match librosa's 3-s segment rows", "[rhythm][rows][librosa]") {
  check_rows("seed309_seg10.csv", true, 10);
}

TEST_CASE("rhythm timing on a 30-s clip", "[.][rhythm][timing]") {
  const auto y = audio::load_mono(test::clip_wav("music_a"));
  using clock = std::chrono::steady_clock;
  auto best = [&](auto&& fn) {
    double b = 1e9;
    for (int r = 0; r < 5; ++r) {
      const auto t0 = clock::now();
      fn();
      b = std::min(b, std::chrono::duration<double>(clock::now() - t0).count());
    }
    return b;
  };
  const Matrix power = power_of(y);
  const Matrix env = features::onset_strength_from_power(power);
  const Matrix env_med = features::onset_strength_from_power(power, features::OnsetAggregate::Median);
  WARN("stft power " << best([&] { power_of(y); }) << " s");
  WARN("onset_strength (mean) from power " << best([&] { features::onset_strength_from_power(power); }) << " s");
  WARN("onset_strength (median) from power "
       << best([&] { features::onset_strength_from_power(power, features::OnsetAggregate::Median); }) << " s");
  WARN("beat_track from onset " << best([&] { features::beat_track_from_onset(env_med.data); }) << " s");
  WARN("beat_track(y) " << best([&] { features::beat_track(y); }) << " s");
  WARN("tempogram from onset " << best([&] { features::tempogram_from_onset(env.data); }) << " s");
  WARN("tempogram(y) " << best([&] { features::tempogram(y); }) << " s");
  WARN("fourier_tempogram from onset " << best([&] { features::fourier_tempogram_mag_from_onset(env.data); }) << " s");
  WARN("fourier_tempogram(y) " << best([&] { features::fourier_tempogram_mag(y); }) << " s");
  WARN("stack_memory " << best([&] { features::stack_memory(y); }) << " s");
}
