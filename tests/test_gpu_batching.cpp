// How the CUDA feature backend batches, checked on a GPU (SKIPPED without one): a track with
// its segments passed as views into it (one upload, the segments cut out on the device) gives
// the rows of separately uploaded copies; several batches in flight on their own streams give
// the rows of one stream; a batch boundary never separates a track from its segments.
#include <catch2/catch.hpp>

#include <cmath>

#include "backend/gpu_ops.hpp"

#include "audio/audio_io.hpp"
#include "backend/feature_backend.hpp"
#include "features/feature_set.hpp"
#include "gpu_skip.hpp"
#include "synth/synth.hpp"

using namespace gtzan;

namespace {

// 3 tracks of 6 s, each followed by its 4 array_split segments as views into it.
struct TracksWithSegments {
  std::vector<std::vector<float>> tracks;
  std::vector<std::span<const float>> views;
  std::vector<std::vector<float>> copies;  // the same clips as separate buffers
};

TracksWithSegments make_tracks() {
  TracksWithSegments t;
  for (int i = 0; i < 3; ++i) t.tracks.push_back(synth::synth_track(i * 3, i, 6.0, 42));
  for (const auto& track : t.tracks) {
    t.views.emplace_back(track);
    for (const auto& piece : audio::array_split_views(track, 4)) t.views.push_back(piece);
  }
  for (const auto& v : t.views) t.copies.emplace_back(v.begin(), v.end());
  return t;
}

std::vector<std::span<const float>> spans(const std::vector<std::vector<float>>& owned) {
  return {owned.begin(), owned.end()};
}

// Largest |a - b| over all values, relative to max(|b|, 1e-3).
double max_relative_difference(const std::vector<backend::RowResult>& a,
                               const std::vector<backend::RowResult>& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    REQUIRE(a[i].error.empty());
    REQUIRE(b[i].error.empty());
    REQUIRE(a[i].values.size() == b[i].values.size());
    for (std::size_t j = 0; j < a[i].values.size(); ++j)
      worst = std::max(worst, std::abs(a[i].values[j] - b[i].values[j]) /
                                  std::max(std::abs(b[i].values[j]), 1e-3));
  }
  return worst;
}

}  // namespace

TEST_CASE("a track and its segments as views give the rows of separate copies", "[gpu]") {
  require_gpu();
  const auto t = make_tracks();
  const auto& set = features::find_feature_set("core");
  auto gpu = backend::make_cuda_feature_backend(64, 1);
  const auto from_views = gpu->compute_rows(set, t.views);
  const auto from_copies = gpu->compute_rows(set, spans(t.copies));
  // The same kernels on the same samples; cuBLAS may pick another GEMM algorithm for another
  // batch width only if the widths differ, and they do not: equal up to float32 rounding.
  CHECK(max_relative_difference(from_views, from_copies) <= 1e-6);
  // And against the CPU reference, with the row tolerance of test_gpu_ops.
  auto cpu = backend::make_cpu_backend(0);
  CHECK(max_relative_difference(from_views, cpu->compute_rows(set, t.views)) <= 1e-4);
}

TEST_CASE("batches in flight on several streams give the rows of one stream", "[gpu]") {
  require_gpu();
  const auto t = make_tracks();
  const auto& set = features::find_feature_set("seed309");
  // Batch 2 cuts [track + 4 segments] groups: each batch grows to keep a track with its
  // segments, so there are 3 batches, run by 1 or 3 host threads.
  const auto one = backend::make_cuda_feature_backend(2, 1)->compute_rows(set, t.views);
  const auto three = backend::make_cuda_feature_backend(2, 3)->compute_rows(set, t.views);
  const double diff = max_relative_difference(three, one);
  INFO("max relative difference " << diff << (diff == 0 ? " (bitwise equal)" : ""));
  CHECK(diff <= 1e-6);
}

TEST_CASE("an out-of-range batch size still covers every clip exactly once", "[gpu]") {
  require_gpu();
  const auto t = make_tracks();
  const auto& set = features::find_feature_set("spectral");
  const auto all = backend::make_cuda_feature_backend(1000, 2)->compute_rows(set, t.views);
  const auto ones = backend::make_cuda_feature_backend(1, 2)->compute_rows(set, t.views);
  CHECK(max_relative_difference(ones, all) <= 1e-6);
}

TEST_CASE("an op's frames do not depend on the batch it is computed in", "[gpu]") {
  require_gpu();
  // Two synthetic tracks and odd lengths (one shorter than a frame), alone and together.
  std::vector<std::vector<float>> owned = {synth::synth_track(1, 0, 4.0, 7), synth::synth_track(6, 1, 2.5, 7)};
  for (std::size_t len : {100ul, 2047ul, 30001ul}) owned.emplace_back(synth::synth_track(4, 2, 1.0, 9)).resize(len);
  const auto clips = spans(owned);
  for (const auto& feature : backend::gpu_frame_features()) {
    INFO("feature " << feature);
    const auto together = backend::gpu_frames(feature, clips);
    for (std::size_t c = 0; c < clips.size(); ++c) {
      INFO("clip " << c << " (" << clips[c].size() << " samples)");
      const auto alone = backend::gpu_frames(feature, {clips[c]}).front();
      REQUIRE(alone.rows == together[c].rows);
      REQUIRE(alone.cols == together[c].cols);
      double max_abs = 0, peak = 0;
      for (std::size_t i = 0; i < alone.data.size(); ++i) {
        if (std::isnan(alone.data[i]) && std::isnan(together[c].data[i])) continue;  // rejected clip
        max_abs = std::max(max_abs, double(std::abs(alone.data[i] - together[c].data[i])));
        peak = std::max(peak, double(std::abs(alone.data[i])));
      }
      // Per-clip work is independent of its neighbours; only a GEMM's algorithm may change with
      // the batch width (float32 summation order): 1e-5 of the clip's peak, as the CPU twins.
      // Rolloff is quantised to FFT bins: a flipped threshold crossing moves it by one bin.
      const double allowed = feature == "spectral_rolloff" ? 22050.0 / 2048.0 + 1e-3 : 1e-5 * peak;
      INFO("max_abs " << max_abs << " peak " << peak);
      CHECK(max_abs <= allowed);
    }
  }
}
