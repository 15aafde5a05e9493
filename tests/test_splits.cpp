// numpy RandomState and scikit-learn's splitters, index for index, against
// tests/golden/splits/train_test_split_rs42.json (tests/make_golden_split_rs42.py, sklearn 1.2.1) and tests/golden/splits (tests/make_golden_splits.py).
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "ml/numpy_random.hpp"
#include "ml/splits.hpp"

using namespace gtzan;
using nlohmann::json;

namespace {

json load(const std::filesystem::path& p) {
  std::ifstream f(p);
  REQUIRE(f.good());
  return json::parse(f);
}
json golden(const std::string& name) {
  return load(std::filesystem::path(GTZAN_SOURCE_DIR) / "tests/golden/splits" / name);
}
std::vector<int> ints(const json& j) { return j.get<std::vector<int>>(); }
std::optional<uint32_t> seed_of(const json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<uint32_t>();
}

}  // namespace

TEST_CASE("RandomState raw words and random_sample match numpy (rs42 fixture)", "[splits][numpy]") {
  const auto j = load(test::golden_dir() / "splits/train_test_split_rs42.json")["numpy_random_state"];
  ml::RandomState rs(j["seed"].get<uint32_t>());
  for (const auto& w : j["raw_mt19937_uint32_first5"]) CHECK(rs.next_uint32() == w.get<uint32_t>());
  ml::RandomState rs2(42);
  for (const auto& s : j["random_sample_first5_hex"]) {
    const double want = std::strtod(s.get<std::string>().c_str(), nullptr);
    CHECK(rs2.random_sample() == want);
  }
  CHECK(ml::RandomState(42).permutation(10) == ints(j["permutation_10"]));
}

TEST_CASE("permutation(n) matches numpy for many n and seeds", "[splits][numpy]") {
  const auto g = golden("numpy_random.json");
  for (const auto& c : g["permutations"]) {
    INFO("seed " << c["seed"] << " n " << c["n"]);
    CHECK(ml::RandomState(c["seed"].get<uint32_t>()).permutation(c["n"].get<int>()) ==
          ints(c["permutation"]));
  }
  for (const auto& c : g["random_sample"]) {
    INFO("seed " << c["seed"]);
    ml::RandomState rs(c["seed"].get<uint32_t>());
    for (const auto& h : c["random_sample_hex"])
      CHECK(rs.random_sample() == std::strtod(h.get<std::string>().c_str(), nullptr));
    CHECK(rs.permutation(50) == ints(c["then_permutation_50"]));  // stream continues
  }
  for (const auto& c : g["choice"]) {
    ml::RandomState rs(c["seed"].get<uint32_t>());
    CHECK(rs.choice_without_replacement(c["pop"], c["size"]) == ints(c["choice"]));
  }
}

TEST_CASE("train_test_split matches scikit-learn 1.2.1 (rs42 fixture)", "[splits][sklearn]") {
  const auto j = load(test::golden_dir() / "splits/train_test_split_rs42.json");
  int checked = 0;
  for (const auto& c : j["cases"]) {
    const int n = c["n"];
    INFO("n " << n << " seed " << c["random_state"]);
    const auto s = ml::train_test_split(n, ml::TestSize::of_fraction(c["test_size"]),
                                        c["random_state"].get<uint32_t>(), c["shuffle"]);
    CHECK(s.train == ints(c["train"]));
    CHECK(s.test == ints(c["test"]));
    ++checked;
  }
  for (const auto& c : j["stratified_cases"]) {
    const int n = c["n"];
    REQUIRE(c["stratify"] == "i % 10");
    std::vector<int> y(n);
    for (int i = 0; i < n; ++i) y[i] = i % 10;
    INFO("stratified n " << n << " seed " << c["random_state"]);
    const auto s = ml::train_test_split(n, ml::TestSize::of_fraction(c["test_size"]),
                                        c["random_state"].get<uint32_t>(), true, y);
    CHECK(s.train == ints(c["train"]));
    CHECK(s.test == ints(c["test"]));
    ++checked;
  }
  CHECK(checked == 13);
}

TEST_CASE("train_test_split matches scikit-learn 1.9 goldens (sizes, counts, stratified)",
          "[splits][sklearn]") {
  for (const auto& c : golden("train_test_split.json")["cases"]) {
    const int n = c["n"];
    INFO("n " << n << " test_size " << c["test_size"] << " seed " << c["random_state"] << " "
              << c["note"].get<std::string>());
    const auto ts = c["test_size_is_count"].get<bool>() ? ml::TestSize::of_count(c["test_size"])
                                                        : ml::TestSize::of_fraction(c["test_size"]);
    std::vector<int> y;
    if (!c["stratify"].is_null()) y = ints(c["stratify"]);
    const auto s = ml::train_test_split(n, ts, c["random_state"].get<uint32_t>(), c["shuffle"], y);
    CHECK(s.train == ints(c["train"]));
    CHECK(s.test == ints(c["test"]));
  }
}

TEST_CASE("KFold, StratifiedKFold and GroupKFold match scikit-learn", "[splits][sklearn]") {
  for (const auto& c : golden("kfold.json")["cases"]) {
    const std::string kind = c["kind"];
    const int k = c["n_splits"];
    const bool shuffle = c["shuffle"];
    const auto seed = seed_of(c["random_state"]);
    INFO(kind << " n " << c["n"] << " k " << k << " shuffle " << shuffle << " "
              << c["note"].get<std::string>());
    std::vector<ml::SplitIndices> folds;
    if (kind == "KFold") folds = ml::kfold(c["n"], k, shuffle, seed);
    else if (kind == "StratifiedKFold") folds = ml::stratified_kfold(ints(c["labels"]), k, shuffle, seed);
    else folds = ml::group_kfold(ints(c["groups"]), k, shuffle, seed);
    REQUIRE(folds.size() == c["folds"].size());
    for (std::size_t f = 0; f < folds.size(); ++f) {
      INFO("fold " << f);
      CHECK(folds[f].train == ints(c["folds"][f]["train"]));
      CHECK(folds[f].test == ints(c["folds"][f]["test"]));
    }
  }
}

TEST_CASE("splitters reject what scikit-learn rejects", "[splits]") {
  using ml::TestSize;
  CHECK_THROWS_AS(ml::train_test_split(10, TestSize::of_fraction(0.0), 1), std::invalid_argument);
  CHECK_THROWS_AS(ml::train_test_split(10, TestSize::of_fraction(1.0), 1), std::invalid_argument);
  CHECK_THROWS_AS(ml::train_test_split(10, TestSize::of_count(10), 1), std::invalid_argument);
  CHECK_THROWS_AS(ml::train_test_split(10, TestSize::of_count(0), 1), std::invalid_argument);
  const std::vector<int> y = {0, 0, 0, 1, 1, 1, 2, 2, 2, 3};  // class 3 has one member
  CHECK_THROWS_AS(ml::train_test_split(10, TestSize::of_fraction(0.5), 1, true, y),
                  std::invalid_argument);
  const std::vector<int> y2 = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4};  // 5 classes, 2 test rows
  CHECK_THROWS_AS(ml::train_test_split(10, TestSize::of_count(2), 1, true, y2),
                  std::invalid_argument);
  CHECK_THROWS_AS(ml::train_test_split(10, TestSize::of_count(2), 1, false, y2),
                  std::invalid_argument);
  CHECK_THROWS_AS(ml::kfold(10, 1), std::invalid_argument);
  CHECK_THROWS_AS(ml::kfold(3, 4), std::invalid_argument);
  CHECK_THROWS_AS(ml::kfold(10, 2, false, 3u), std::invalid_argument);
  CHECK_THROWS_AS(ml::kfold(10, 2, true), std::invalid_argument);
  CHECK_THROWS_AS(ml::group_kfold(std::vector<int>{1, 1, 2, 2}, 3), std::invalid_argument);
  CHECK_THROWS_AS(ml::stratified_kfold(std::vector<int>{0, 1, 2, 3}, 2), std::invalid_argument);
}

TEST_CASE("encode_sorted numbers labels in sorted order", "[splits]") {
  std::vector<std::string> classes;
  const auto codes = ml::encode_sorted({"rock", "blues", "jazz", "blues"}, &classes);
  CHECK(codes == std::vector<int>{2, 0, 1, 0});
  CHECK(classes == std::vector<std::string>{"blues", "jazz", "rock"});
}
