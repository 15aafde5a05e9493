#include "cli/train_data.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "engine/rng.hpp"
#include "ml/preprocess.hpp"
#include "ml/splits.hpp"

namespace gtzan::cli {
namespace {

engine::Dataset to_dataset(const ml::Table& X, const std::vector<int>& labels,
                           const std::vector<int>& rows) {
  engine::Dataset d;
  d.sample_shape = {static_cast<int>(X.cols)};
  for (int r : rows) {
    for (std::size_t c = 0; c < X.cols; ++c) d.x.push_back(static_cast<float>(X.at(r, c)));
    d.y.push_back(labels[r]);
  }
  return d;
}

// Row indices of the train and test sides: by row ("seed") or by whole track ("track").
void split_rows(const ml::FeatureTable& t, const std::string& split, double test_size, std::uint32_t seed,
                std::vector<int>& train, std::vector<int>& test) {
  const int n = static_cast<int>(t.rows());
  if (n < 2) throw std::invalid_argument(t.source.string() + ": fewer than 2 rows");
  if (split == "seed") {
    const auto s = ml::train_test_split(n, ml::TestSize::of_fraction(test_size), seed);
    train = s.train;
    test = s.test;
  } else if (split == "track") {
    // Split the tracks as train_test_split splits rows; every segment follows its track.
    const auto groups = t.track_groups();
    const int n_tracks = *std::max_element(groups.begin(), groups.end()) + 1;
    const auto s = ml::train_test_split(n_tracks, ml::TestSize::of_fraction(test_size), seed);
    std::vector<bool> is_test(n_tracks, false);
    for (int g : s.test) is_test[g] = true;
    for (int r = 0; r < n; ++r) (is_test[groups[r]] ? test : train).push_back(r);
  } else {
    throw std::invalid_argument("--split must be seed or track, not '" + split + "'");
  }
}

}  // namespace

PreparedData prepare_data(const ml::FeatureTable& t, const std::string& split, double test_size,
                          int pca, std::uint32_t seed) {
  std::vector<int> train, test;
  split_rows(t, split, test_size, seed, train, test);
  // The study fits the scaler and PCA on all rows (leaky); the honest split on train only.
  PreparedData p;
  p.scaling.emplace(pca);
  p.scaling->fit(split == "track" ? ml::take_rows(t.X, train) : t.X);
  const ml::Table X = p.scaling->transform(t.X);
  p.class_names = t.classes;
  p.classes = static_cast<int>(t.classes.size());
  p.train = to_dataset(X, t.labels, train);
  p.test = to_dataset(X, t.labels, test);
  return p;
}

PreparedData prepare_sequences(const ml::FeatureTable& t, int frames, const std::string& split,
                               double test_size, std::uint32_t seed) {
  std::vector<int> train, test;
  split_rows(t, split, test_size, seed, train, test);
  PreparedData p;
  p.class_names = t.classes;
  p.classes = static_cast<int>(t.classes.size());
  p.train = to_dataset(t.X, t.labels, train);
  p.test = to_dataset(t.X, t.labels, test);
  p.train.sample_shape = p.test.sample_shape = {frames, static_cast<int>(t.X.cols) / frames};
  return p;
}

predict::ClipCutting clip_cutting_of(const ml::FeatureTable& t, double length_seconds) {
  predict::ClipCutting c;
  c.length_seconds = length_seconds;
  int most = -1;
  for (int s : t.segments) most = std::max(most, s);
  c.segments = most + 1;  // 0 when every row is a whole track
  return c;
}

engine::Dataset random_dataset(const std::vector<int>& shape, int n, int classes, bool trailing_zeros,
                               std::uint64_t seed) {
  engine::Dataset d;
  d.sample_shape = shape;
  engine::Rng rng(seed);
  const std::size_t s = d.sample_size();
  d.x.resize(static_cast<std::size_t>(n) * s);
  for (auto& v : d.x) v = static_cast<float>(rng.uniform(-1.0, 1.0));
  for (int i = 0; i < n; ++i) {
    d.y.push_back(static_cast<int>(rng.below(classes)));
    if (trailing_zeros && shape.size() == 2) {  // a padded tail of 0..25% of the steps
      const int zeros = static_cast<int>(rng.below(shape[0] / 4 + 1));
      std::fill(d.x.begin() + i * s + (shape[0] - zeros) * shape[1], d.x.begin() + (i + 1) * s, 0.0f);
    }
  }
  return d;
}

}  // namespace gtzan::cli
