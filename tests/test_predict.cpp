// What `gtzan train` saves for `gtzan predict` (predict/model_bundle): the fitted MinMax + PCA
// survive the JSON round trip bit for bit and scale rows exactly as training scaled them; the
// feature set covering a table's columns; segments detected from a table; clear errors for a
// missing or malformed record. The CLI side (audio in, probabilities out) is cli_predict.sh.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "temp_dir.hpp"
#include "cli/train_data.hpp"
#include "core/error.hpp"
#include "features/feature_set.hpp"
#include "fixtures.hpp"
#include "ml/feature_table.hpp"
#include "ml/splits.hpp"
#include "predict/model_bundle.hpp"

using namespace gtzan;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

fs::path kaggle30() { return test::gtzan_data_dir() / "features_30_sec.csv"; }
fs::path kaggle3_slice() { return test::gtzan_data_dir() / "features_3_sec_subset_classical_jazz_rock.csv"; }

// The message of the InputError that f throws (fails the test when it throws nothing else).
template <class F>
std::string input_error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("no InputError thrown");
  return "";
}

}  // namespace

TEST_CASE("saved MinMax + PCA scale the table's rows exactly as training did", "[predict]") {
  const auto table = ml::read_feature_table(kaggle30());
  for (const std::string split : {"seed", "track"}) {
    const auto prepared = cli::prepare_data(table, split, 0.2, 3, 42);
    predict::Preprocessing pre;
    pre.model_name = "m";
    pre.classes = prepared.class_names;
    pre.columns = table.names;
    pre.scaling = prepared.scaling;
    pre.sample_shape = prepared.train.sample_shape;
    TempDir dir;
    predict::save_model_bundle(dir.path, pre, "name = \"m\"\n");
    const auto loaded = predict::load_preprocessing(dir.path);
    REQUIRE(loaded.columns == table.names);
    REQUIRE(loaded.classes == prepared.class_names);
    REQUIRE(loaded.scaling->components() == 3);
    REQUIRE(loaded.sample_shape == std::vector<int>{60});
    // Parameters round-trip exactly (JSON doubles are written with 17 digits).
    CHECK(loaded.scaling->scaler().data_min() == prepared.scaling->scaler().data_min());
    CHECK(loaded.scaling->pca().mean() == prepared.scaling->pca().mean());
    CHECK(loaded.scaling->pca().components().data == prepared.scaling->pca().components().data);
    // The training set's rows, as the network saw them (float32), from the loaded record.
    const ml::Table X = loaded.scaling->transform(table.X);
    std::vector<int> train_rows;
    if (split == "seed") {
      train_rows = ml::train_test_split(1000, ml::TestSize::of_fraction(0.2), 42).train;
    } else {
      const auto groups = table.track_groups();  // one row per track in the 30-s table
      const auto s = ml::train_test_split(1000, ml::TestSize::of_fraction(0.2), 42);
      for (int r = 0; r < 1000; ++r)
        if (std::find(s.test.begin(), s.test.end(), groups[r]) == s.test.end()) train_rows.push_back(r);
    }
    REQUIRE(prepared.train.n() == train_rows.size());
    std::size_t differing = 0;
    for (std::size_t i = 0; i < train_rows.size(); ++i)
      for (std::size_t c = 0; c < X.cols; ++c)
        differing += static_cast<float>(X.at(train_rows[i], c)) != prepared.train.x[i * X.cols + c];
    CHECK(differing == 0);
  }
}

TEST_CASE("the smallest feature set covering a table's columns", "[predict]") {
  const auto spectral = features::find_feature_set("spectral").column_names();
  CHECK(features::find_covering_set({spectral[5], spectral[0]})->name == "spectral");
  CHECK(features::find_covering_set({"mfcc_0_mean", "harmony_mean"})->name == "core");
  CHECK(features::find_covering_set({"tonnetz_mean_0", "mfcc_0_mean"})->name == "seed309");
  // Kaggle's tables: the `kaggle` set has exactly their 57 columns, in their order.
  const auto kaggle = ml::read_feature_table(kaggle30());
  const auto* set = features::find_covering_set(kaggle.names);
  REQUIRE(set != nullptr);
  CHECK(set->name == "kaggle");
  CHECK(set->column_names() == kaggle.names);
  // A column no set computes is named.
  std::string missing;
  CHECK(features::find_covering_set({"mfcc_0_mean", "no_such_column"}, &missing) == nullptr);
  CHECK(missing == "no_such_column");
}

TEST_CASE("segments per file are read from the table", "[predict]") {
  CHECK(cli::clip_cutting_of(ml::read_feature_table(kaggle30()), 30).segments == 0);
  const auto cut = cli::clip_cutting_of(ml::read_feature_table(kaggle3_slice()), 30);
  CHECK(cut.segments == 10);
  CHECK(cut.clip_seconds() == 3.0);
  std::istringstream ours("filename,label,segment,a\nx.wav,rock,0,1\nx.wav,rock,1,2\ny.wav,pop,0,3\ny.wav,pop,1,4\n");
  CHECK(cli::clip_cutting_of(ml::parse_feature_table(ours, "ours.csv"), 3).segments == 2);
}

TEST_CASE("a missing or malformed preprocessing record is an error naming it", "[predict]") {
  TempDir dir;
  CHECK_THAT(input_error_of([&] { predict::load_preprocessing(dir.path / "nope"); }),
             Catch::Contains("nope: no such model folder"));
  CHECK_THAT(input_error_of([&] { predict::load_preprocessing(dir.path); }),
             Catch::Contains("preprocessing.json: missing"));
  auto write = [&](const std::string& text) { std::ofstream(dir.path / "preprocessing.json") << text; };
  write("{ not json");
  CHECK_THAT(input_error_of([&] { predict::load_preprocessing(dir.path); }), Catch::Contains("not valid JSON"));
  write(R"({"format": "something-else"})");
  CHECK_THAT(input_error_of([&] { predict::load_preprocessing(dir.path); }), Catch::Contains("malformed: format"));
  write(R"({"format": "gtzan-preprocessing-1", "model": "m", "input": "feature_rows", "classes": ["a", "b"],
            "clips": {"length_seconds": 30, "segments": 0}, "sample_shape": [2],
            "features": {"set": null, "columns": ["x", "y"]},
            "scaling": {"scaler": {"type": "minmax", "data_min": [0], "data_max": [1]}, "pca": null}})");
  CHECK_THAT(input_error_of([&] { predict::load_preprocessing(dir.path); }),
             Catch::Contains("the scaler has 1 columns, the column list 2"));
}
