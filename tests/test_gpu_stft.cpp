// GPU kernels against their CPU twins. Without a GPU every case exits 77: ctest SKIPPED.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <random>

#include "audio/audio_io.hpp"
#include "backend/feature_backend.hpp"
#include "backend/gpu_ops.hpp"
#include "features/stft.hpp"
#include "fixtures.hpp"

using namespace gtzan;

static void require_gpu() {
  std::string why;
  if (!backend::cuda_device_available(why)) {
    std::fprintf(stderr, "SKIP: %s\n", why.c_str());
    std::exit(77);
  }
}

TEST_CASE("gpu stft power equals the CPU reference on a batch of clips", "[gpu]") {
  require_gpu();
  std::vector<std::vector<float>> owned;
  for (const auto& clip : test::fixture_clips()) owned.push_back(audio::load_mono(test::clip_wav(clip)));
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  for (std::size_t len : {1ul, 100ul, 2047ul, 12345ul}) {  // odd lengths, shorter than a frame
    std::vector<float> y(len);
    for (auto& v : y) v = u(rng);
    owned.push_back(std::move(y));
  }
  std::vector<std::span<const float>> clips(owned.begin(), owned.end());
  const auto gpu = backend::gpu_stft_power(clips);
  REQUIRE(gpu.size() == clips.size());
  for (std::size_t c = 0; c < clips.size(); ++c) {
    const Matrix cpu = features::spectrogram_power(features::stft(clips[c]), 2.0f);
    REQUIRE(gpu[c].rows == cpu.rows);
    REQUIRE(gpu[c].cols == cpu.cols);
    double max_abs = 0, peak = 0;
    for (std::size_t i = 0; i < cpu.data.size(); ++i) {
      max_abs = std::max(max_abs, double(std::abs(gpu[c].data[i] - cpu.data[i])));
      peak = std::max(peak, double(std::abs(cpu.data[i])));
    }
    INFO("clip " << c << " max_abs " << max_abs << " peak " << peak);
    // cuFFT and kissfft both float32: 1e-5 of the peak.
    CHECK(max_abs <= 1e-5 * std::max(peak, 1e-20));
  }
}
