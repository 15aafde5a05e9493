// Mel spectrogram, power_to_db, MFCC and deltas against librosa's golden arrays.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>

#include "audio/audio_io.hpp"
#include "features/mel.hpp"
#include "features/stft.hpp"
#include "fixtures.hpp"

using namespace gtzan;

namespace {

void report(const char* clip, const char* name, const test::Diff& d) {
  std::printf("%-8s %-14s max_abs %.3g peak %.4g rel %.3g\n", clip, name, d.max_abs, d.ref_peak,
              d.rel_to_peak);
}

}  // namespace

TEST_CASE("mel_filterbank matches librosa.filters.mel (Slaney)", "[mel]") {
  // Reference values printed by librosa 0.10.2 (float32 filters): (row, bin, value).
  struct Ref {
    int n_mels, row, bin;
    float value;
  };
  const Ref refs[] = {
      {128, 0, 1, 0.016182853f},      {128, 0, 2, 0.032365706f},    {128, 0, 4, 0.012807235f},
      {128, 1, 3, 0.009779235f},      {128, 1, 5, 0.035393704f},    {128, 1, 7, 0.003027999f},
      {128, 64, 182, 0.0010807638f},  {128, 64, 186, 0.016357256f}, {128, 64, 191, 0.0024033422f},
      {128, 127, 971, 7.1848153e-06f}, {128, 127, 997, 0.0034852505f},
      {128, 127, 1023, 0.0001302603f}, {64, 0, 1, 0.0041086804f},   {64, 0, 5, 0.01852646f},
      {64, 0, 9, 0.0020917354f},      {64, 32, 180, 0.00061907765f}, {64, 32, 189, 0.00922858f},
      {64, 63, 922, 2.192395e-05f},   {64, 63, 1023, 3.4382163e-05f},
  };
  const Matrix W128 = features::mel_filterbank(128);
  const Matrix W64 = features::mel_filterbank(64);
  REQUIRE(W128.rows == 128);
  REQUIRE(W128.cols == 1025);
  REQUIRE(W64.rows == 64);
  for (const auto& r : refs) {
    const Matrix& W = r.n_mels == 128 ? W128 : W64;
    INFO("n_mels " << r.n_mels << " row " << r.row << " bin " << r.bin);
    // float32 filter built from float64 math, like librosa: equal to within 1 ulp.
    CHECK(std::abs(W.at(r.row, r.bin) - r.value) <= 1.2e-7f * r.value);
  }
  // Support: row 0 of mel128 is non-zero exactly on bins 1..4; row 127 on 971..1023.
  CHECK(W128.at(0, 0) == 0.0f);
  CHECK(W128.at(0, 5) == 0.0f);
  CHECK(W128.at(127, 970) == 0.0f);
  CHECK(W128.at(127, 1024) == 0.0f);
  // Row sums (float64 sums of the float32 weights from librosa).
  double s0 = 0, s127 = 0;
  for (std::size_t k = 0; k < W128.cols; ++k) s0 += W128.at(0, k), s127 += W128.at(127, k);
  CHECK(std::abs(s0 - 0.09034588187932968) < 1e-8);
  CHECK(std::abs(s127 - 0.09286924219850334) < 1e-8);
}

TEST_CASE("mel projection of librosa's own power spectrogram matches mel128/mel64", "[mel][librosa]") {
  for (const auto& clip : test::fixture_clips()) {
    INFO("clip " << clip);
    const Matrix P = test::to_matrix(test::golden(clip, "stft_power"));
    for (int n_mels : {128, 64}) {
      const std::string name = "mel" + std::to_string(n_mels);
      const auto d = test::compare(features::melspectrogram(P, n_mels), test::golden(clip, name));
      INFO(name << " max_abs " << d.max_abs << " peak " << d.ref_peak);
      // Same input, float32 GEMM in a different summation order: 1e-6 of the peak.
      CHECK(d.rel_to_peak < 1e-6);
    }
  }
}

TEST_CASE("mel, mfcc and deltas match librosa on every fixture clip", "[mel][mfcc][librosa]") {
  for (const auto& clip : test::fixture_clips()) {
    INFO("clip " << clip);
    const auto y = audio::load_mono(test::clip_wav(clip));
    const Matrix P = features::spectrogram_power(features::stft(y), 2.0f);

    const Matrix mel128 = features::melspectrogram(P, 128);
    const Matrix mel64 = features::melspectrogram(P, 64);
    auto d = test::compare(mel128, test::golden(clip, "mel128"));
    report(clip.c_str(), "mel128", d);
    // README: float32 vs float64 librosa differ by 2.1e-7 of the peak; ours (kissfft STFT,
    // OpenBLAS GEMM) is allowed 1e-5.
    CHECK(d.rel_to_peak < 1e-5);
    d = test::compare(mel64, test::golden(clip, "mel64"));
    report(clip.c_str(), "mel64", d);
    CHECK(d.rel_to_peak < 1e-5);  // same as mel128

    const Matrix db = features::power_to_db(mel128);
    const Matrix mfcc13 = features::mfcc_from_db(db, 13);
    const Matrix mfcc20 = features::mfcc_from_db(db, 20);
    d = test::compare(mfcc13, test::golden(clip, "mfcc13"));
    report(clip.c_str(), "mfcc13", d);
    // dB-scaled, peak ~ hundreds: README sees 1.4e-7 of the peak; tolerance 1e-5.
    CHECK(d.rel_to_peak < 1e-5);
    d = test::compare(mfcc20, test::golden(clip, "mfcc20"));
    report(clip.c_str(), "mfcc20", d);
    CHECK(d.rel_to_peak < 1e-5);  // same as mfcc13

    const Matrix d1 = features::delta(mfcc13, 1);
    const Matrix d2 = features::delta(mfcc13, 2);
    const auto g1 = test::golden(clip, "mfcc13_delta");
    const auto g2 = test::golden(clip, "mfcc13_delta2");
    const auto e1 = test::compare(d1, g1);
    const auto e2 = test::compare(d2, g2);
    report(clip.c_str(), "mfcc13_delta", e1);
    report(clip.c_str(), "mfcc13_delta2", e2);
    if (clip == "silence") {
      // Reference is rounding noise (~1e-5) around 0: relative numbers are meaningless, so the
      // absolute error is bounded instead (README: float32 vs float64 max abs 9.3e-6).
      CHECK(e1.max_abs < 1e-4);
      CHECK(e2.max_abs < 1e-4);
    } else {
      // Deltas are differences of MFCCs (abs error ~1e-4 on values of ~hundreds), so relative
      // to their own smaller peak: 1e-4.
      CHECK(e1.rel_to_peak < 1e-4);
      CHECK(e2.rel_to_peak < 1e-4);
    }
  }
}

TEST_CASE("delta reproduces savgol_filter(mode='interp') on a polynomial", "[mel][delta]") {
  // On a quadratic x(t) = 0.5 t^2 - 3 t + 2 the order-2 fit is exact everywhere, edges included:
  // first derivative t - 3, second derivative 1.
  Matrix X(1, 20);
  for (int t = 0; t < 20; ++t) X.at(0, t) = static_cast<float>(0.5 * t * t - 3.0 * t + 2.0);
  const Matrix d2 = features::delta(X, 2);
  for (int t = 0; t < 20; ++t) CHECK(std::abs(d2.at(0, t) - 1.0f) < 1e-5f);
  // Linear signal: first derivative exact everywhere.
  for (int t = 0; t < 20; ++t) X.at(0, t) = static_cast<float>(2.5 * t - 7.0);
  const Matrix d1 = features::delta(X, 1);
  for (int t = 0; t < 20; ++t) CHECK(std::abs(d1.at(0, t) - 2.5f) < 1e-5f);
  Matrix too_short(1, 8);
  CHECK_THROWS(features::delta(too_short, 1));
}
