// Feature-table rows (mean/var per column) against librosa's seed309 rows: the fixtures'
// track rows (clips padded/trimmed to 661500 samples), 3-s segment rows (array_split 10) and
// unpadded rows, and rows for unseen clips (tests/golden). `seed309` covers every column of
// `core` and `spectral` (they are its subsets, computed by the same graph).
#include <catch2/catch.hpp>

#include <cmath>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <map>

#include "audio/audio_io.hpp"
#include "backend/feature_backend.hpp"
#include "features/feature_set.hpp"
#include "fixtures.hpp"

using namespace gtzan;

namespace {

// Tolerance for |ours - librosa| as a fraction of the column's scale (max |value| of the
// column over all rows of the fixture table).
double column_tolerance(const std::string& col) {
  // Tempo: beat_track's BPM is bit-identical between librosa's float32 and float64 runs.
  if (col == "tempo") return 0.0;
  // Roll-off is quantised to FFT bins (10.77 Hz): one frame flipping to the next bin moves
  // the mean by ~10.77/frames Hz and the variance by more (librosa's own float32 vs float64
  // runs differ by 4.5e-5 relative there).
  if (col.rfind("rolloff", 0) == 0) return 1e-3;
  return 1e-4;
}

// The click train's HPSS-percussive chroma is noise-driven (near-silent frames between clicks
// flip the tuning estimate; the fixtures' README shows librosa's own float32 and float64 runs
// differing by up to 0.18 relative there): not an accuracy target.
bool meaningless(const std::string& clip, const std::string& col) {
  return clip == "clicks.wav" && col.rfind("percussive", 0) == 0;
}

// `table` rows vs ours for the clips in `wav_dir`; pad = fix_length to 661500 samples first;
// segments = numpy.array_split pieces (0 = whole clip).
void check_table(const std::filesystem::path& table, const std::filesystem::path& wav_dir,
                 bool pad, std::size_t segments, const std::string& set_name = "seed309") {
  const auto ref = test::read_csv(table);
  REQUIRE(!ref.rows.empty());
  const auto& set = features::find_feature_set(set_name);
  const auto names = set.column_names();
  std::vector<int> ref_col;
  for (const auto& n : names) {
    ref_col.push_back(ref.column(n));
    REQUIRE(ref_col.back() >= 0);  // every core column exists in the study's table
  }
  std::vector<double> scale(names.size(), 0.0);
  for (const auto& row : ref.rows)
    for (std::size_t j = 0; j < names.size(); ++j)
      scale[j] = std::max(scale[j], std::abs(std::stod(row[ref_col[j]])));

  auto be = backend::make_cpu_backend(0);
  std::map<std::string, std::vector<std::vector<float>>> clips;  // filename -> clips
  std::vector<double> worst(names.size(), 0.0);
  std::size_t checked = 0;
  for (const auto& row : ref.rows) {
    const std::string file = row[0];
    if (!clips.count(file)) {
      auto y = audio::load_mono(wav_dir / file);
      if (pad) y = audio::fix_length(y, audio::kTrackSamples);
      clips[file] = segments ? audio::array_split(y, segments)
                             : std::vector<std::vector<float>>{std::move(y)};
    }
    const std::size_t seg = segments ? std::stoul(row[2]) : 0;
    const auto rows = be->compute_rows(set, {std::span<const float>(clips[file][seg])});
    REQUIRE(rows[0].error.empty());
    for (std::size_t j = 0; j < names.size(); ++j) {
      if (meaningless(file, names[j])) continue;
      const double want = std::stod(row[ref_col[j]]);
      const double got = rows[0].values[j];
      const double err = names[j] == "tempo" ? std::abs(got - want)
                                             : std::abs(got - want) / std::max(scale[j], 1e-30);
      worst[j] = std::max(worst[j], err);
      INFO(table.filename().string() << " " << file << " seg " << seg << " " << names[j] << ": ours " << got
                 << " librosa " << want << " (column scale " << scale[j] << ")");
      CHECK(err <= column_tolerance(names[j]));
      ++checked;
    }
  }
  // Worst error per block (column name without its index and statistic), for the README.
  std::map<std::string, double> block_worst;
  for (std::size_t j = 0; j < names.size(); ++j) {
    std::string block, token;
    std::stringstream parts(names[j]);
    while (std::getline(parts, token, '_')) {
      const bool index = std::all_of(token.begin(), token.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
      if (!index && token != "mean" && token != "var") block += (block.empty() ? "" : "_") + token;
    }
    block_worst[block] = std::max(block_worst[block], worst[j]);
  }
  std::string blocks;
  for (const auto& [b, w] : block_worst) blocks += " " + b + "=" + fmt::format("{:.2g}", w);
  WARN(table.filename().string() << " worst error/scale per block:" << blocks);
  std::size_t k = std::max_element(worst.begin(), worst.end()) - worst.begin();
  WARN(table.filename().string() << ": " << checked << " values checked; worst column " << names[k]
             << " error/scale " << worst[k]);
}

}  // namespace

TEST_CASE("seed309 rows match librosa's 30-s track rows", "[rows][librosa]") {
  check_table(test::librosa_fixtures() / "seed309_track.csv", test::librosa_fixtures() / "wav", true, 0);
}

TEST_CASE("seed309 rows match librosa's 3-s segment rows", "[rows][librosa]") {
  check_table(test::librosa_fixtures() / "seed309_seg10.csv", test::librosa_fixtures() / "wav", true, 10);
}

TEST_CASE("seed309 rows match librosa's unpadded rows", "[rows][librosa]") {
  check_table(test::librosa_fixtures() / "seed309_unpadded.csv", test::librosa_fixtures() / "wav", false, 0);
}

// Clips the fixtures never saw: 5-s synthetic tracks of every genre, with librosa's rows made
// by tests/make_golden_unseen.py (committed in tests/golden/).
TEST_CASE("seed309 rows match librosa on unseen clips (track rows)", "[rows][librosa][unseen]") {
  const std::filesystem::path golden = test::golden_dir();
  check_table(golden / "unseen_seed309_track.csv", golden / "unseen", true, 0);
}

TEST_CASE("seed309 rows match librosa on unseen clips (as loaded)", "[rows][librosa][unseen]") {
  const std::filesystem::path golden = test::golden_dir();
  check_table(golden / "unseen_seed309_unpadded.csv", golden / "unseen", false, 0);
}

TEST_CASE("core is seed309 without its constant-Q and rhythm blocks", "[rows][sets]") {
  const auto& seed = features::find_feature_set("seed309");
  const auto& core = features::find_feature_set("core");
  CHECK(seed.columns.size() == 309);
  CHECK(core.columns.size() == 260);
  // Every core column is a seed309 column computed from the same frame array and statistic,
  // and the order is the study's (core's columns appear in seed309 in the same order).
  std::size_t pos = 0;
  for (const auto& c : core.columns) {
    while (pos < seed.columns.size() && seed.columns[pos].name != c.name) ++pos;
    REQUIRE(pos < seed.columns.size());
    CHECK(seed.columns[pos].frame == c.frame);
    CHECK(seed.columns[pos].row == c.row);
    CHECK(seed.columns[pos].stat == c.stat);
  }
  const auto file = test::read_csv(test::librosa_fixtures() / "seed309_track.csv");
  CHECK(std::vector<std::string>(file.header.begin() + 3, file.header.end()) == seed.column_names());
}
