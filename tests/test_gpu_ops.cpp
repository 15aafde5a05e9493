// Every op of the CUDA graph against its CPU twin (features::ClipGraph), on the fixture clips
// and on random clips of odd lengths (one shorter than a frame), in one batch. Without a GPU
// every case exits 77, which ctest reports as SKIPPED with the reason on stderr.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>

#include "audio/audio_io.hpp"
#include "backend/feature_backend.hpp"
#include "backend/gpu_ops.hpp"
#include "features/clip_graph.hpp"
#include "fixtures.hpp"
#include "gpu_skip.hpp"

using namespace gtzan;

namespace {

// |gpu - cpu| max over a clip, as a fraction of the CPU array's peak.
double tolerance(const std::string& feature) {
  static const std::map<std::string, double> tol = {
      // cuFFT D2Z vs kissfft in float64, both rounded to complex64: float32 rounding only.
      {"stft_power", 1e-6}, {"stft_magnitude", 1e-6},
      // Tuning per clip is the CPU's own pitch_tuning over bit-identical piptrack peaks (same
      // float32 power, no FMA); what remains is the float32 GEMM's summation order (cuBLAS vs
      // OpenBLAS) over 1025 non-negative terms, ~1e-6 of each frame's max after the inf-norm.
      // A different tuning (a peak decision flipped by a 1-ulp STFT difference) fails by >1e-2.
      {"chroma_stft", 1e-5},
      // Median filters select window elements (exact), masks and overlap-add mirror the CPU's
      // float32/float64 operations and order; the only differences are cuFFT vs kissfft in
      // float64 (~1e-16 of a frame) flipping a float32 rounding of the STFT or of an irfft
      // sample: rare 1-ulp changes, far below 1e-6 of the clip's peak.
      {"y_harmonic", 1e-6}, {"y_percussive", 1e-6},
      // chroma_stft of a fresh STFT of the parts: the chroma_stft bound, with the parts' rare
      // 1-ulp differences on top (they can move a piptrack decision only on a near-tie).
      {"harmonic_chroma_stft", 1e-5}, {"percussive_chroma_stft", 1e-5},
      // cuBLAS SGEMM vs OpenBLAS SGEMM: another float32 summation order (and FMA) over 1025
      // non-negative terms; ~1e-6 of each value expected, the bound leaves room.
      {"mel128", 1e-5}, {"mel64", 1e-5},
      // 10 log10 of the mel values above: their relative error becomes an absolute dB error
      // (4.3 dB per unit), small next to a clip's peak |dB| (tens of dB).
      {"mel128_db", 1e-5},
      // float64 DGEMM of the dB values (as the CPU); what differs is the mel dB input.
      {"mfcc13", 1e-5}, {"mfcc20", 1e-5},
      // Same taps, same float64 order as the CPU: only the mfcc13 input differs, but a delta's
      // peak is 10-100x smaller than the mfcc's, so the same absolute error is a larger share.
      {"mfcc13_delta", 1e-4}, {"mfcc13_delta2", 1e-4},
      // Per-frame sums in the CPU's bin order with the CPU's rounding (no FMA): on the same
      // magnitude they would agree to ~1 float32 ulp (CUDA vs glibc log/exp/log10/sqrt). The
      // GPU's magnitude differs from the CPU's at float32 rounding (see stft_magnitude), which
      // bandwidth, contrast and flatness amplify in the lowest-energy bins (the CPU-vs-librosa
      // end-to-end bar in test_spectral is the same 1e-5).
      {"spectral_centroid", 1e-5}, {"spectral_bandwidth", 1e-5}, {"spectral_flatness", 1e-5},
      {"spectral_contrast", 1e-5}, {"poly_features", 1e-5},
      // zcr: integer counts of the same signal: exact. rms: float64 sum in a warp's order
      // instead of the CPU's sequential one: ~1 float32 ulp at most.
      {"zero_crossing_rate", 0.0}, {"rms", 1e-6},
      // spectral_rolloff: checked by rolloff_frames_off (bin-quantised), not by this map.
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

// The scale an error is measured against: the CPU array's peak, but not below this floor.
// The deltas of a constant MFCC row (e.g. the silent fixture) are float64 rounding noise
// (~1e-13) on both sides, and their difference should not be judged against that noise.
double scale_floor(const std::string& feature) {
  if (feature == "mfcc13_delta" || feature == "mfcc13_delta2") return 1e-6;
  return 1e-30;
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

// Rolloff is quantised to FFT bins (10.77 Hz): the magnitude's float32 rounding can move a
// frame's threshold crossing by one bin. Every frame equal, or one bin off on a few frames.
// Returns the frames one bin off, or -1 when a frame is further off.
long rolloff_frames_off(const Matrix& gpu, const Matrix& cpu) {
  const double bin = 22050.0 / 2048.0;
  long off_by_one = 0;
  for (std::size_t i = 0; i < cpu.data.size(); ++i) {
    const double d = std::abs(double(gpu.data[i]) - double(cpu.data[i]));
    if (d == 0) continue;
    if (std::abs(d - bin) > 1e-2) return -1;
    ++off_by_one;
  }
  return off_by_one;
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
      if (feature == "spectral_rolloff") {
        const long off = rolloff_frames_off(gpu[c], cpu);
        INFO("rolloff frames one bin off: " << off << " of " << cpu.cols << " (-1: worse)");
        CHECK(off >= 0);
        CHECK(off <= std::max(3L, static_cast<long>(cpu.cols / 100)));
        continue;
      }
      double max_abs = 0, peak = 0;
      for (std::size_t i = 0; i < cpu.data.size(); ++i) {
        max_abs = std::max(max_abs, double(std::abs(gpu[c].data[i] - cpu.data[i])));
        peak = std::max(peak, double(std::abs(cpu.data[i])));
      }
      INFO("max_abs " << max_abs << " peak " << peak);
      CHECK(max_abs <= tolerance(feature) * std::max(peak, scale_floor(feature)));
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
