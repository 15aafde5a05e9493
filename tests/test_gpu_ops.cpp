// Every op of the CUDA graph against its CPU twin (features::ClipGraph), on the fixture clips
// and on random clips of odd lengths (one shorter than a frame), in one batch. Without a GPU
// every case exits 77, which ctest reports as SKIPPED with the reason on stderr.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>

#include "audio/audio_io.hpp"
#include "backend/feature_backend.hpp"
#include "backend/gpu_ops.hpp"
#include "features/clip_graph.hpp"
#include "fixtures.hpp"

using namespace gtzan;

namespace {

void require_gpu() {
  std::string why;
  if (!backend::cuda_device_available(why)) {
    std::fprintf(stderr, "SKIP: %s\n", why.c_str());
    std::exit(77);
  }
}

// |gpu - cpu| max over a clip, as a fraction of the CPU array's peak.
double tolerance(const std::string& feature) {
  static const std::map<std::string, double> tol = {
      // cuFFT D2Z vs kissfft in float64, both rounded to complex64: float32 rounding only.
      {"stft_power", 1e-6}, {"stft_magnitude", 1e-6},
      // CQT family: plans, soxr decimation and tuning are the CPU twin's own host code; the
      // basis product, scaling and |.| replay its float32/float64 operations unfused. The only
      // expected difference is cuFFT vs kissfft (both float64, rounded to complex64: ~1 ulp
      // flips of some STFT entries), seen through the basis sums and chroma sums (OpenBLAS's
      // SGEMM order on the CPU, bin order on the GPU).
      {"cqt_mag", 1e-5}, {"cqt36_mag", 1e-5}, {"chroma_vqt", 1e-5}, {"chroma_cqt", 1e-5},
      {"tonnetz", 1e-5},
      // Quantised at 0.05/0.1/0.2/0.4: a value within ~1e-7 of a step would flip by 0.25 and
      // show here as ~1e-2 after smoothing; anything near 1e-2 is that, not a kernel bug.
      {"chroma_cens", 1e-5},
      // Mel projection by cuBLAS vs OpenBLAS SGEMM (~1e-7 relative), log10f ulps: absolute dB
      // errors ~1e-6, mean/median over 128 bands.
      {"onset_strength", 1e-5},
      // Each frame is normalised by its own max: where the envelope is quiet for ~9 s the
      // onset's absolute dB error becomes relative to a small local scale.
      {"tempogram", 1e-4},
      // cuFFT of the same envelope, |.| via sqrtf(x^2 + y^2) vs hypotf.
      {"fourier_tempogram_mag", 1e-5},
      // Copies of the signal: exact. The tempo is a lag argmax: exact unless a near tie flips.
      {"stack_memory", 0.0}, {"tempo", 1e-6},
  };
  auto it = tol.find(feature);
  return it == tol.end() ? 1e-5 : it->second;  // default for float32 feature arithmetic
}

std::vector<std::vector<float>> test_clips() {
  std::vector<std::vector<float>> clips;
  for (const auto& clip : test::fixture_clips()) clips.push_back(audio::load_mono(test::clip_wav(clip)));
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-0.5f, 0.5f);
  for (std::size_t len : {1ul, 100ul, 2047ul, 12345ul, 66151ul}) {
    std::vector<float> y(len);
    for (auto& v : y) v = u(rng);
    clips.push_back(std::move(y));
  }
  return clips;
}

}  // namespace

TEST_CASE("every CUDA graph op equals its CPU twin on a batch", "[gpu]") {
  require_gpu();
  const auto owned = test_clips();
  const std::vector<std::span<const float>> clips(owned.begin(), owned.end());
  const auto features = backend::gpu_frame_features();
  REQUIRE(!features.empty());
  for (const auto& feature : features) {
    INFO("feature " << feature);
    const auto gpu = backend::gpu_frames(feature, clips);
    REQUIRE(gpu.size() == clips.size());
    for (std::size_t c = 0; c < clips.size(); ++c) {
      INFO("clip " << c << " (" << clips[c].size() << " samples)");
      features::ClipGraph graph(clips[c]);
      Matrix cpu;
      try {
        cpu = graph.frame(feature);
      } catch (const std::exception&) {
        continue;  // the CPU reference rejects this clip (e.g. too short for deltas)
      }
      REQUIRE(gpu[c].rows == cpu.rows);
      REQUIRE(gpu[c].cols == cpu.cols);
      double max_abs = 0, peak = 0;
      for (std::size_t i = 0; i < cpu.data.size(); ++i) {
        max_abs = std::max(max_abs, double(std::abs(gpu[c].data[i] - cpu.data[i])));
        peak = std::max(peak, double(std::abs(cpu.data[i])));
      }
      INFO("max_abs " << max_abs << " peak " << peak);
      CHECK(max_abs <= tolerance(feature) * std::max(peak, 1e-30));
    }
  }
}

TEST_CASE("CUDA feature rows equal the CPU rows for every set the GPU computes", "[gpu]") {
  require_gpu();
  const auto owned = test_clips();
  const std::vector<std::span<const float>> clips(owned.begin() + 0, owned.begin() + 8);
  auto cpu = backend::make_cpu_backend(0);
  auto gpu = backend::make_cuda_feature_backend(3);  // small batches: several launches
  for (const auto& set : features::feature_sets()) {
    if (!gpu->unsupported(set).empty()) continue;
    INFO("set " << set.name);
    const auto a = cpu->compute_rows(set, clips);
    const auto b = gpu->compute_rows(set, clips);
    for (std::size_t i = 0; i < clips.size(); ++i) {
      REQUIRE(a[i].error == b[i].error);
      for (std::size_t j = 0; j < a[i].values.size(); ++j)
        CHECK(b[i].values[j] == Approx(a[i].values[j]).epsilon(1e-4).margin(1e-9));
    }
  }
}
