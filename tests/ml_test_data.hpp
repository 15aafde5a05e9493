#pragma once
// Test-only helpers for tests/test_learners.cpp and tests/test_ensembles.cpp: Kaggle's
// features_30_sec.csv (filename,length,57 features,label; CRLF or LF), the study split as
// recorded by tests/make_golden_learners.py, and a train-fitted standard scaler. The real
// table reader, splitter and scalers live in host/ml (another module); these stay minimal.
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

namespace gtzan::test {

struct KaggleTable {
  ml::Rows X;
  std::vector<int> y;                // sorted-label codes (LabelEncoder)
  std::vector<std::string> classes;  // sorted
};

inline KaggleTable read_kaggle_30s() {
  const auto path = shared_dir() / "data" / "gtzan" / "features_30_sec.csv";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("Kaggle table not found: " + path.string());
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::string> names;
  KaggleTable t;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    if (cells.size() != 60) throw std::runtime_error("Kaggle row with " + std::to_string(cells.size()) + " cells");
    std::vector<double> row;
    for (std::size_t j = 2; j + 1 < cells.size(); ++j) row.push_back(std::stod(cells[j]));
    t.X.push_back(std::move(row));
    names.push_back(cells.back());
  }
  t.classes = names;
  std::sort(t.classes.begin(), t.classes.end());
  t.classes.erase(std::unique(t.classes.begin(), t.classes.end()), t.classes.end());
  for (const auto& s : names)
    t.y.push_back(static_cast<int>(std::lower_bound(t.classes.begin(), t.classes.end(), s) - t.classes.begin()));
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
  const std::size_t d = s.Xtr[0].size();
  const double n = static_cast<double>(s.Xtr.size());
  for (std::size_t j = 0; j < d; ++j) {
    double mean = 0, var = 0;
    for (const auto& r : s.Xtr) mean += r[j];
    mean /= n;
    for (const auto& r : s.Xtr) var += (r[j] - mean) * (r[j] - mean);
    double sd = std::sqrt(var / n);
    if (sd == 0) sd = 1;
    for (auto* M : {&s.Xtr, &s.Xte})
      for (auto& r : *M) r[j] = (r[j] - mean) / sd;
  }
  return s;
}

inline ml::Rows json_rows(const nlohmann::json& j) { return j.get<ml::Rows>(); }

}  // namespace gtzan::test
