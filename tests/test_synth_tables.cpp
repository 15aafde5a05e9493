// The synthetic dataset through the whole extraction job with the study's `seed309` set:
// a 30-s track table and a 3-s segment table, checked for shape, column names, finite values
// and determinism (the same bytes for any thread count and on a rerun).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "features/feature_set.hpp"
#include "fixtures.hpp"
#include "jobs/extract_features.hpp"
#include "synth/synth.hpp"

using namespace gtzan;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void check_table(const fs::path& csv, std::size_t expected_rows, bool segments) {
  const auto t = test::read_csv(csv);
  const auto names = features::find_feature_set("seed309").column_names();
  REQUIRE(t.header.size() == 3 + names.size());
  CHECK(std::vector<std::string>(t.header.begin(), t.header.begin() + 3) ==
        std::vector<std::string>{"filename", "label", "segment"});
  CHECK(std::vector<std::string>(t.header.begin() + 3, t.header.end()) == names);
  REQUIRE(t.rows.size() == expected_rows);
  std::size_t nonfinite = 0;
  for (const auto& row : t.rows) {
    REQUIRE(row.size() == t.header.size());
    CHECK(!row[1].empty());                  // genre label from the folder
    CHECK(row[2].empty() == !segments);      // segment index only in segment mode
    for (std::size_t j = 3; j < row.size(); ++j)
      if (!std::isfinite(std::stod(row[j]))) ++nonfinite;
  }
  CHECK(nonfinite == 0);
}

}  // namespace

TEST_CASE("seed309 tables of the synthetic dataset: shape, names, finite, deterministic",
          "[synth][seed309][job]") {
  const fs::path dir = fs::temp_directory_path() / ("gtzan_synth_tables_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  REQUIRE(synth::write_dataset(dir / "ds", 1, 6.0, 11) == 10);

  jobs::ExtractOptions o;
  o.input = dir / "ds";
  o.set = "seed309";
  o.quiet = true;

  SECTION("30-s track rows (6-s tracks padded to 661500 samples)") {
    o.out = dir / "track.csv";
    o.threads = 2;
    const auto s = jobs::extract_features(o);
    CHECK(s.files_ok == 10);
    CHECK(s.failures.empty());
    check_table(o.out, 10, false);
    o.out = dir / "track_1thread.csv";
    o.threads = 1;
    jobs::extract_features(o);
    CHECK(slurp(dir / "track.csv") == slurp(dir / "track_1thread.csv"));
  }
  SECTION("3-s segment rows (array_split of the 6-s tracks into 2)") {
    o.length_seconds = 6.0;
    o.segments = 2;
    o.out = dir / "seg.csv";
    o.threads = 2;
    jobs::extract_features(o);
    check_table(o.out, 20, true);
    o.out = dir / "seg_again.csv";
    jobs::extract_features(o);
    CHECK(slurp(dir / "seg.csv") == slurp(dir / "seg_again.csv"));
  }
  fs::remove_all(dir);
}
