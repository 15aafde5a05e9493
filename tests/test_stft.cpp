// STFT and power spectrogram against librosa's golden arrays.
#include <catch2/catch.hpp>

#include "audio/audio_io.hpp"
#include "features/stft.hpp"
#include "fixtures.hpp"

using namespace gtzan;

TEST_CASE("stft power matches librosa on every fixture clip", "[stft][librosa]") {
  for (const auto& clip : test::fixture_clips()) {
    INFO("clip " << clip);
    const auto y = audio::load_mono(test::clip_wav(clip));
    const auto X = features::stft(y);
    const Matrix P = features::spectrogram_power(X, 2.0f);
    const auto d = test::compare(P, test::golden(clip, "stft_power"));
    INFO("max_abs " << d.max_abs << " peak " << d.ref_peak);
    // float64 window and FFT rounded to complex64, as numpy<2 + librosa: within a few float32
    // ulps of the golden power; 1e-6 of the peak.
    CHECK(d.rel_to_peak < 1e-6);
  }
}

TEST_CASE("istft inverts stft (librosa.istft with length)", "[stft]") {
  const auto y = audio::load_mono(test::clip_wav("music_a"));
  const auto X = features::stft(y);
  const auto back = features::istft(X, y.size());
  REQUIRE(back.size() == y.size());
  double max_err = 0;
  for (std::size_t i = 0; i < y.size(); ++i) max_err = std::max(max_err, double(std::abs(back[i] - y[i])));
  CHECK(max_err < 1e-5);
}
