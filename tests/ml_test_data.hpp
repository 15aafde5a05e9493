#pragma once
// Test-only helpers for tests/test_learners.cpp and tests/test_ensembles.cpp: Kaggle's
// features_30_sec.csv read by host/ml, the study split as recorded by
// tests/make_golden_learners.py, and host/ml's StandardScaler fitted on the training rows.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "ml/classifier.hpp"
#include "ml/feature_table.hpp"
#include "ml/preprocess.hpp"

namespace gtzan::test {

struct KaggleTable {
  ml::Rows X;
  std::vector<int> y;                // sorted-label codes (LabelEncoder)
  std::vector<std::string> classes;  // sorted
};

// Kaggle's 30-s table through host/ml's reader (57 features; filename and length dropped).
inline KaggleTable read_kaggle_30s() {
  const auto table = ml::read_feature_table(gtzan_data_dir() / "features_30_sec.csv");
  KaggleTable t;
  for (std::size_t r = 0; r < table.rows(); ++r)
    t.X.emplace_back(table.X.row(r), table.X.row(r) + table.X.cols);
  t.y = table.labels;
  t.classes = table.classes;
  return t;
}

inline const nlohmann::json& learners_golden() {
  static const nlohmann::json g = [] {
    const std::filesystem::path p = std::filesystem::path(GTZAN_SOURCE_DIR) / "tests" / "golden" / "learners" / "golden.json";
    std::ifstream in(p);
    if (!in) throw std::runtime_error("golden not found: " + p.string());
    return nlohmann::json::parse(in);
  }();
  return g;
}

// The study's split of the 30-s table (train/test rows), scaled by a StandardScaler fitted
// on the training rows (population standard deviation; constant columns left unscaled).
struct StudySplit {
  ml::Rows Xtr, Xte;
  std::vector<int> ytr, yte;
  int K = 0;
};

inline StudySplit study_split_30s() {
  const KaggleTable t = read_kaggle_30s();
  const auto& g = learners_golden();
  StudySplit s;
  s.K = static_cast<int>(t.classes.size());
  for (std::size_t i : g["train_idx"].get<std::vector<std::size_t>>()) s.Xtr.push_back(t.X[i]), s.ytr.push_back(t.y[i]);
  for (std::size_t i : g["test_idx"].get<std::vector<std::size_t>>()) s.Xte.push_back(t.X[i]), s.yte.push_back(t.y[i]);
  // host/ml's StandardScaler, fitted on the training rows.
  auto to_table = [](const ml::Rows& rows) {
    ml::Table t(rows.size(), rows[0].size());
    for (std::size_t r = 0; r < rows.size(); ++r) std::copy(rows[r].begin(), rows[r].end(), t.row(r));
    return t;
  };
  auto to_rows = [](const ml::Table& t) {
    ml::Rows rows;
    for (std::size_t r = 0; r < t.rows; ++r) rows.emplace_back(t.row(r), t.row(r) + t.cols);
    return rows;
  };
  ml::StandardScaler scaler;
  scaler.fit(to_table(s.Xtr));
  s.Xtr = to_rows(scaler.transform(to_table(s.Xtr)));
  s.Xte = to_rows(scaler.transform(to_table(s.Xte)));
  return s;
}

inline ml::Rows json_rows(const nlohmann::json& j) { return j.get<ml::Rows>(); }

}  // namespace gtzan::test
