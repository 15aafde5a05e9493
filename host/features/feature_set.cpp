#include "features/feature_set.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "features/clip_graph.hpp"

namespace gtzan::features {
namespace {

// "<prefix>_mean_<i>" / "<prefix>_var_<i>" for each row (chroma_stft, spectral_contrast, ...).
void per_row(std::vector<ColumnSpec>& cols, const std::string& prefix, const std::string& frame,
             int rows) {
  for (int i = 0; i < rows; ++i) {
    cols.push_back({prefix + "_mean_" + std::to_string(i), frame, i, Stat::Mean});
    cols.push_back({prefix + "_var_" + std::to_string(i), frame, i, Stat::Var});
  }
}

// "<prefix>_mean" / "<prefix>_var" over the whole matrix.
void whole(std::vector<ColumnSpec>& cols, const std::string& prefix, const std::string& frame) {
  cols.push_back({prefix + "_mean", frame, -1, Stat::Mean});
  cols.push_back({prefix + "_var", frame, -1, Stat::Var});
}

// The study interleaves mfcc_i, delta_mfcc_i and delta2_mfcc_i per coefficient.
void mfcc_block(std::vector<ColumnSpec>& cols) {
  for (int i = 0; i < 13; ++i) {
    const std::string k = std::to_string(i);
    cols.push_back({"mfcc_" + k + "_mean", "mfcc13", i, Stat::Mean});
    cols.push_back({"mfcc_" + k + "_var", "mfcc13", i, Stat::Var});
    cols.push_back({"delta_mfcc_" + k + "_mean", "mfcc13_delta", i, Stat::Mean});
    cols.push_back({"delta_mfcc_" + k + "_var", "mfcc13_delta", i, Stat::Var});
    cols.push_back({"delta2_mfcc_" + k + "_mean", "mfcc13_delta2", i, Stat::Mean});
    cols.push_back({"delta2_mfcc_" + k + "_var", "mfcc13_delta2", i, Stat::Var});
  }
}

FeatureSet make_core() {
  FeatureSet s{"core",
               "the study's STFT-based columns (seed309 without the constant-Q, tonnetz and "
               "rhythm blocks), in the study's names and order",
               {}};
  auto& c = s.columns;
  per_row(c, "chroma_stft", "chroma_stft", 12);
  whole(c, "centroid", "spectral_centroid");
  whole(c, "bandwidth", "spectral_bandwidth");
  whole(c, "rolloff", "spectral_rolloff");
  whole(c, "zcr", "zero_crossing_rate");
  whole(c, "harmony", "harmonic_chroma_stft");
  whole(c, "percussive", "percussive_chroma_stft");
  mfcc_block(c);
  per_row(c, "spectral_contrast", "spectral_contrast", 7);
  per_row(c, "mel_spec", "mel64", 64);
  whole(c, "spectral_flatness", "spectral_flatness");
  whole(c, "poly_features", "poly_features");
  return s;
}

// The study's 309 columns (docs/study.md), in its names and order: core's blocks with the
// constant-Q, tonnetz and rhythm blocks in between, as the study's feature CSV has them.
FeatureSet make_seed309() {
  FeatureSet s{"seed309", "the study's 309 columns in its names and order (core + constant-Q, "
                          "tonnetz, tempo, tempograms, stack_memory)", {}};
  auto& c = s.columns;
  const auto core = make_core().columns;
  auto copy_block = [&](const std::string& frame) {
    for (const auto& col : core) if (col.frame == frame) c.push_back(col);
  };
  for (const char* f : {"chroma_stft", "spectral_centroid", "spectral_bandwidth", "spectral_rolloff",
                        "zero_crossing_rate", "harmonic_chroma_stft", "percussive_chroma_stft"})
    copy_block(f);
  mfcc_block(c);
  copy_block("spectral_contrast");
  per_row(c, "tonnetz", "tonnetz", 6);
  per_row(c, "chroma_cqt", "chroma_cqt", 12);
  whole(c, "chroma_cens", "chroma_cens");
  whole(c, "chroma_vqt", "chroma_vqt");
  copy_block("mel64");
  copy_block("spectral_flatness");
  copy_block("poly_features");
  c.push_back({"tempo", "tempo", -1, Stat::Scalar});  // beat_track's tempo in BPM
  whole(c, "tempogram", "tempogram");
  whole(c, "fourier_tempogram", "fourier_tempogram_mag");
  whole(c, "tempogram_ratio", "tempogram");  // the study's duplicate of tempogram
  whole(c, "stack_memory", "stack_memory");
  return s;
}

FeatureSet make_spectral() {
  FeatureSet s{"spectral",
               "core without HPSS (harmony/percussive): the fast STFT-only columns", {}};
  for (const auto& col : make_core().columns)
    if (col.frame.find("harmonic") == std::string::npos &&
        col.frame.find("percussive") == std::string::npos)
      s.columns.push_back(col);
  return s;
}

// Kaggle's GTZAN tables (features_30_sec.csv / features_3_sec.csv), in their names and order:
// whole-matrix statistics of librosa's defaults, the harmonic/percussive waveforms of HPSS
// ("harmony", "perceptr"), the tempo and 20 MFCCs. Our rows are computed on clips cut as the
// job says (661500 / 66150 samples), Kaggle's on 661794 / 66149, so values differ slightly.
FeatureSet make_kaggle() {
  FeatureSet s{"kaggle", "Kaggle's 57 GTZAN columns in its names and order (features_30_sec.csv)", {}};
  auto& c = s.columns;
  whole(c, "chroma_stft", "chroma_stft");
  whole(c, "rms", "rms");
  whole(c, "spectral_centroid", "spectral_centroid");
  whole(c, "spectral_bandwidth", "spectral_bandwidth");
  whole(c, "rolloff", "spectral_rolloff");
  whole(c, "zero_crossing_rate", "zero_crossing_rate");
  whole(c, "harmony", "y_harmonic");
  whole(c, "perceptr", "y_percussive");
  c.push_back({"tempo", "tempo", -1, Stat::Scalar});
  for (int i = 0; i < 20; ++i) {
    const std::string k = std::to_string(i + 1);
    c.push_back({"mfcc" + k + "_mean", "mfcc20", i, Stat::Mean});
    c.push_back({"mfcc" + k + "_var", "mfcc20", i, Stat::Var});
  }
  return s;
}

void mean_var(const float* x, std::size_t n, double& mean, double& var) {
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += x[i];
  mean = sum / static_cast<double>(n);
  double ss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = x[i] - mean;
    ss += d * d;
  }
  var = ss / static_cast<double>(n);
}

}  // namespace

std::vector<std::string> FeatureSet::column_names() const {
  std::vector<std::string> names;
  for (const auto& c : columns) names.push_back(c.name);
  return names;
}

std::vector<std::string> FeatureSet::frames() const {
  std::vector<std::string> out;
  for (const auto& c : columns)
    if (std::find(out.begin(), out.end(), c.frame) == out.end()) out.push_back(c.frame);
  return out;
}

std::vector<double> FeatureSet::compute(ClipGraph& graph) const {
  std::vector<double> values;
  values.reserve(columns.size());
  std::map<std::pair<std::string, int>, std::pair<double, double>> stats;
  for (const auto& c : columns) {
    if (c.stat == Stat::Scalar) {
      values.push_back(graph.scalar(c.frame));
      continue;
    }
    auto key = std::make_pair(c.frame, c.row);
    auto it = stats.find(key);
    if (it == stats.end()) {
      const Matrix& m = graph.frame(c.frame);
      double mean = 0, var = 0;
      if (c.row < 0) mean_var(m.data.data(), m.data.size(), mean, var);
      else mean_var(m.row(static_cast<std::size_t>(c.row)), m.cols, mean, var);
      it = stats.emplace(key, std::make_pair(mean, var)).first;
    }
    values.push_back(c.stat == Stat::Mean ? it->second.first : it->second.second);
  }
  return values;
}

const std::vector<FeatureSet>& feature_sets() {
  static const std::vector<FeatureSet> sets = {make_seed309(), make_core(), make_spectral(), make_kaggle()};
  return sets;
}

const FeatureSet& find_feature_set(const std::string& name) {
  std::string known;
  for (const auto& s : feature_sets()) {
    if (s.name == name) return s;
    known += (known.empty() ? "" : ", ") + s.name;
  }
  throw std::invalid_argument("unknown feature set '" + name + "' (known: " + known + ")");
}

const FeatureSet* find_covering_set(const std::vector<std::string>& columns, std::string* missing) {
  const FeatureSet* best = nullptr;  // covers every column, fewest columns to compute
  std::size_t nearest_found = 0;     // otherwise: the set that has most of them
  std::string nearest_lacks;
  for (const auto& s : feature_sets()) {
    const auto names = s.column_names();
    std::size_t found = 0;
    std::string lacks;
    for (const auto& c : columns) {
      if (std::find(names.begin(), names.end(), c) != names.end()) ++found;
      else if (lacks.empty()) lacks = c;
    }
    if (found == columns.size()) {
      if (!best || s.columns.size() < best->columns.size()) best = &s;
    } else if (found >= nearest_found) {
      nearest_found = found;
      nearest_lacks = lacks;
    }
  }
  if (!best && missing) *missing = nearest_lacks;
  return best;
}

}  // namespace gtzan::features
