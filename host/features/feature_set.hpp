#pragma once
// Named feature sets: ordered columns, each a statistic (mean or population variance) of one
// frame-level array of the clip graph, either per row or over the whole matrix.
#include <string>
#include <vector>

namespace gtzan::features {

class ClipGraph;

enum class Stat { Mean, Var, Scalar };  // Scalar: ClipGraph::scalar(frame), float64

struct ColumnSpec {
  std::string name;   // the study's column name, e.g. "mfcc_3_mean"
  std::string frame;  // the graph's frame array, e.g. "mfcc13"
  int row = -1;       // row of that array, -1 = statistic over the whole matrix
  Stat stat = Stat::Mean;
};

struct FeatureSet {
  std::string name;
  std::string description;
  std::vector<ColumnSpec> columns;

  std::vector<std::string> column_names() const;
  // The frame arrays this set needs (each computed once per clip).
  std::vector<std::string> frames() const;
  // One row of values for a clip, in column order (float64 statistics of float32 frames).
  std::vector<double> compute(ClipGraph& graph) const;
};

const std::vector<FeatureSet>& feature_sets();
// Throws std::invalid_argument listing the known sets when `name` is unknown.
const FeatureSet& find_feature_set(const std::string& name);
// The set with the fewest columns that has every one of `columns` (by name); nullptr when no
// set has them all (*missing, if given, then names a column that the nearest set lacks).
const FeatureSet* find_covering_set(const std::vector<std::string>& columns, std::string* missing = nullptr);

}  // namespace gtzan::features
