#pragma once
// scikit-learn's splitters (1.2 to 1.9 behave the same for these), index for index:
//   train_test_split (ShuffleSplit / StratifiedShuffleSplit, one split), KFold,
//   StratifiedKFold, GroupKFold. Seeds are numpy RandomState seeds (ml/numpy_random.hpp).
// Labels and groups are integer codes; what matters is their order (np.unique sorts them),
// so encode strings with encode_sorted() first (LabelEncoder's order).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ml/numpy_random.hpp"

namespace gtzan::ml {

struct SplitIndices {
  std::vector<int> train;
  std::vector<int> test;
};

// test_size as scikit-learn takes it: a float fraction in (0, 1) or an int count in (0, n).
struct TestSize {
  bool is_count = false;
  double fraction = 0.25;
  int count = 0;
  static TestSize of_fraction(double f) { return {false, f, 0}; }
  static TestSize of_count(int c) { return {true, 0.0, c}; }
};

// _validate_shuffle_split: n_test = ceil(fraction * n) (double product) or the count;
// n_train = n - n_test. Throws std::invalid_argument on sizes scikit-learn rejects.
struct SplitSizes {
  int n_train = 0;
  int n_test = 0;
};
SplitSizes validate_shuffle_split(int n, TestSize test_size);

// train_test_split(arange(n), test_size=..., random_state=seed, shuffle=..., stratify=...).
//   shuffle=false: train = 0..n_train-1, test = n_train..n-1 (stratify must then be empty).
//   stratify empty: perm = RandomState(seed).permutation(n), test = perm[:n_test],
//                   train = perm[n_test:].
//   stratify given (n labels): StratifiedShuffleSplit's first split.
SplitIndices train_test_split(int n, TestSize test_size, uint32_t random_state,
                              bool shuffle = true, std::span<const int> stratify = {});

// One ShuffleSplit / StratifiedShuffleSplit draw from `rng`; calling again with the same rng
// gives the next split, as scikit-learn's n_splits > 1 does.
SplitIndices shuffle_split(int n, SplitSizes sizes, RandomState& rng);
SplitIndices stratified_shuffle_split(std::span<const int> labels, SplitSizes sizes,
                                      RandomState& rng);

// sklearn.utils.extmath._approximate_mode: per-class draws summing to n_draws, floor of the
// proportional share plus one for the largest remainders, ties broken by rng.choice.
std::vector<int> approximate_mode(std::span<const int> class_counts, int n_draws,
                                  RandomState& rng);

// K-fold splitters: one SplitIndices per fold, in fold order. As in scikit-learn, every
// fold's train and test lists are in ascending index order. shuffle=true needs a seed
// (scikit-learn would fall back to numpy's global state); a seed with shuffle=false is an
// error, as in scikit-learn.
std::vector<SplitIndices> kfold(int n, int n_splits, bool shuffle = false,
                                std::optional<uint32_t> random_state = std::nullopt);
std::vector<SplitIndices> stratified_kfold(std::span<const int> labels, int n_splits,
                                           bool shuffle = false,
                                           std::optional<uint32_t> random_state = std::nullopt);
// GroupKFold: shuffle=false assigns groups, largest first (stable ties, reversed), each to the
// lightest fold; shuffle=true (scikit-learn >= 1.6) permutes the sorted unique groups and
// array_splits them into n_splits runs.
std::vector<SplitIndices> group_kfold(std::span<const int> groups, int n_splits,
                                      bool shuffle = false,
                                      std::optional<uint32_t> random_state = std::nullopt);

// Codes 0..k-1 in sorted order of the distinct values (LabelEncoder / np.unique order);
// `classes`, when given, receives the sorted distinct values.
std::vector<int> encode_sorted(const std::vector<std::string>& values,
                               std::vector<std::string>* classes = nullptr);

}  // namespace gtzan::ml
