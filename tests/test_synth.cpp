// The built-in synthetic dataset: deterministic, complete, loadable, bounded, genre-distinct.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "temp_dir.hpp"
#include "audio/audio_io.hpp"
#include "audio/dataset.hpp"
#include "synth/synth.hpp"

using namespace gtzan;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::path track_path(const fs::path& root, const std::string& genre, int i) {
  char name[64];
  std::snprintf(name, sizeof name, "%s.%05d.wav", genre.c_str(), i);
  return root / "genres_original" / genre / name;
}

// Simple descriptors computed inline: RMS (tracks are peak-normalised, so this is 1/crest
// factor), zero-crossing rate, and the share of energy in the first difference (brightness).
struct Stats {
  double rms = 0, zcr = 0, diff_ratio = 0;
};
Stats stats(const std::vector<float>& y) {
  double e = 0, de = 0;
  std::size_t zc = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    e += double(y[i]) * y[i];
    if (i) {
      const double d = double(y[i]) - y[i - 1];
      de += d * d;
      zc += (y[i] >= 0) != (y[i - 1] >= 0);
    }
  }
  return {std::sqrt(e / y.size()), double(zc) / y.size(), de / e};
}

}  // namespace

TEST_CASE("write_dataset: GTZAN layout, deterministic bytes, seed-dependent", "[synth]") {
  TempDir a, b, c;
  const int per_genre = 2;
  const double seconds = 3.0;
  REQUIRE(synth::write_dataset(a.path, per_genre, seconds, 1234) == 10 * per_genre);
  REQUIRE(synth::write_dataset(b.path, per_genre, seconds, 1234) == 10 * per_genre);
  REQUIRE(synth::write_dataset(c.path, per_genre, seconds, 1235) == 10 * per_genre);

  for (const auto& genre : audio::genre_names()) {
    const fs::path dir = a.path / "genres_original" / genre;
    REQUIRE(fs::is_directory(dir));
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(dir)) files += e.is_regular_file();
    CHECK(files == std::size_t(per_genre));  // no leftover temporaries either
    for (int i = 0; i < per_genre; ++i) {
      const fs::path pa = track_path(a.path, genre, i);
      INFO(pa);
      REQUIRE(fs::exists(pa));
      const std::string bytes_a = read_bytes(pa);
      CHECK((bytes_a == read_bytes(track_path(b.path, genre, i))));  // same seed: same bytes
      CHECK((bytes_a != read_bytes(track_path(c.path, genre, i))));  // other seed: other audio
      CHECK(bytes_a.size() == 44 + 2 * std::size_t(seconds * 22050));
      const auto y = audio::load_mono(pa);
      CHECK(y.size() == std::size_t(seconds * 22050));
    }
  }
  CHECK(track_path(a.path, "blues", 0).filename() == "blues.00000.wav");

  // The layout is what scan_dataset reads, with the right labels.
  const auto entries = audio::scan_dataset(a.path);
  REQUIRE(entries.size() == std::size_t(10 * per_genre));
  CHECK(entries.front().label == "blues");
  CHECK(entries.back().label == "rock");
}

TEST_CASE("synth_track: deterministic, finite, peak about 0.8, tracks differ", "[synth]") {
  for (int g = 0; g < 10; ++g) {
    INFO("genre " << audio::genre_names()[std::size_t(g)]);
    const auto y = synth::synth_track(g, 3, 5.0, 99);
    REQUIRE(y.size() == std::size_t(5 * 22050));
    float peak = 0;
    bool finite = true;
    for (float v : y) {
      finite = finite && std::isfinite(v);
      peak = std::max(peak, std::abs(v));
    }
    CHECK(finite);
    CHECK(peak <= 1.0f);
    CHECK(peak == Approx(0.8f).margin(0.01));
    CHECK(stats(y).rms > 0.03);  // not silent
    CHECK((y == synth::synth_track(g, 3, 5.0, 99)));
    CHECK((y != synth::synth_track(g, 4, 5.0, 99)));
  }
  CHECK(synth::synth_track(0, 0, 0.0, 1).empty());
  CHECK_THROWS(synth::synth_track(10, 0, 1.0, 1));
}

TEST_CASE("synth genres are audibly different (crude descriptors)", "[synth]") {
  // Average over a few tracks so one odd track cannot flip the comparison.
  auto mean_stats = [](int genre) {
    Stats s;
    const int n = 4;
    for (int i = 0; i < n; ++i) {
      const Stats t = stats(synth::synth_track(genre, i, 10.0, 7));
      s.rms += t.rms / n;
      s.zcr += t.zcr / n;
      s.diff_ratio += t.diff_ratio / n;
    }
    return s;
  };
  const Stats classical = mean_stats(1), metal = mean_stats(6), jazz = mean_stats(5);
  INFO("rms classical " << classical.rms << " metal " << metal.rms << " jazz " << jazz.rms);
  INFO("zcr classical " << classical.zcr << " metal " << metal.zcr << " jazz " << jazz.zcr);
  INFO("diff classical " << classical.diff_ratio << " metal " << metal.diff_ratio);
  // Metal is dense and distorted (low crest factor); classical is sparse and dynamic.
  CHECK(metal.rms > 1.5 * classical.rms);
  // Jazz's ride cymbal and brushes make it far noisier than sustained strings.
  CHECK(jazz.zcr > 1.5 * classical.zcr);
}
