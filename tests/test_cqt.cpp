// Constant-Q family (cqt, chroma_cqt, chroma_cens, chroma_vqt, tonnetz) against librosa's goldens.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "audio/audio_io.hpp"
#include "features/cqt.hpp"
#include "fixtures.hpp"

using namespace gtzan;

namespace {
void report(const std::string& what, const std::string& clip, const Matrix& ours,
            const test::Golden& ref, double tol) {
  INFO(what << " " << clip);
  REQUIRE(ref.rows == ours.rows);
  REQUIRE(ref.cols == ours.cols);
  const auto d = test::compare(ours, ref);
  INFO("max_abs " << d.max_abs << " peak " << d.ref_peak << " rel " << d.rel_to_peak);
  WARN(what << " " << clip << " rel_to_peak " << d.rel_to_peak);
  CHECK(d.rel_to_peak <= tol);
}
}  // namespace

TEST_CASE("cqt magnitude matches librosa.cqt", "[cqt][librosa]") {
  for (const auto& clip : test::fixture_clips()) {
    const auto y = audio::load_mono(test::clip_wav(clip));
    report("cqt_mag", clip, features::cqt_magnitude(y), test::golden(clip, "cqt_mag"), 1e-4);
    report("cqt36_mag", clip, features::cqt_magnitude(y, 22050, 512, features::kC1Hz, 252, 36),
           test::golden(clip, "cqt36_mag"), 1e-4);
  }
}

TEST_CASE("chroma_cqt family matches librosa", "[cqt][chroma][librosa]") {
  for (const auto& clip : test::fixture_clips()) {
    const auto y = audio::load_mono(test::clip_wav(clip));
    const auto f = features::cqt_features(y);
    report("chroma_cqt", clip, f.chroma_cqt, test::golden(clip, "chroma_cqt"), 1e-3);
    report("chroma_cens", clip, f.chroma_cens, test::golden(clip, "chroma_cens"), 1e-3);
    report("tonnetz", clip, f.tonnetz, test::golden(clip, "tonnetz"), 1e-3);
    report("chroma_vqt", clip, features::chroma_vqt(y), test::golden(clip, "chroma_vqt"), 1e-3);
  }
}
