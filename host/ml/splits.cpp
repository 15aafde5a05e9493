#include "ml/splits.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>

namespace gtzan::ml {

namespace {

void fail(const std::string& what) { throw std::invalid_argument(what); }

// Sorted distinct values and, per element, the index of its value (np.unique, return_inverse).
std::vector<int> unique_inverse(std::span<const int> v, std::vector<int>& uniq) {
  uniq.assign(v.begin(), v.end());
  std::sort(uniq.begin(), uniq.end());
  uniq.erase(std::unique(uniq.begin(), uniq.end()), uniq.end());
  std::vector<int> inv(v.size());
  for (std::size_t i = 0; i < v.size(); ++i)
    inv[i] = static_cast<int>(std::lower_bound(uniq.begin(), uniq.end(), v[i]) - uniq.begin());
  return inv;
}

// BaseCrossValidator.split: test = indices where fold == f (ascending), train = the rest.
std::vector<SplitIndices> folds_to_splits(const std::vector<int>& fold_of, int n_splits) {
  std::vector<SplitIndices> out(static_cast<std::size_t>(n_splits));
  for (int f = 0; f < n_splits; ++f)
    for (std::size_t i = 0; i < fold_of.size(); ++i)
      (fold_of[i] == f ? out[f].test : out[f].train).push_back(static_cast<int>(i));
  return out;
}

void check_kfold_args(int n_splits, bool shuffle, const std::optional<uint32_t>& seed) {
  if (n_splits <= 1)
    fail("k-fold cross-validation requires at least one train/test split: n_splits=" +
         std::to_string(n_splits) + " (need 2 or more)");
  if (!shuffle && seed)
    fail("setting a random_state has no effect since shuffle is false (as in scikit-learn)");
  if (shuffle && !seed)
    fail("shuffle=true needs a random_state: numpy's unseeded global state is not reproducible");
}

}  // namespace

SplitSizes validate_shuffle_split(int n, TestSize ts) {
  if (n <= 0) fail("train/test split of an empty set (n=" + std::to_string(n) + ")");
  int n_test = 0;
  if (ts.is_count) {
    if (ts.count <= 0 || ts.count >= n)
      fail("test_size=" + std::to_string(ts.count) + " should be either positive and smaller "
           "than the number of samples " + std::to_string(n) + " or a float in (0, 1)");
    n_test = ts.count;
  } else {
    if (!(ts.fraction > 0.0 && ts.fraction < 1.0))
      fail("test_size=" + std::to_string(ts.fraction) + " should be a float in (0, 1) or a count");
    n_test = static_cast<int>(std::ceil(ts.fraction * static_cast<double>(n)));
  }
  const int n_train = n - n_test;
  if (n_train == 0)
    fail("with n_samples=" + std::to_string(n) + " and test_size the train set would be empty");
  return {n_train, n_test};
}

std::vector<int> approximate_mode(std::span<const int> class_counts, int n_draws,
                                  RandomState& rng) {
  const std::size_t k = class_counts.size();
  double total = 0;
  for (int c : class_counts) total += c;
  std::vector<double> continuous(k), floored(k), remainder(k);
  double floored_sum = 0;
  for (std::size_t i = 0; i < k; ++i) {
    continuous[i] = static_cast<double>(class_counts[i]) / total * n_draws;
    floored[i] = std::floor(continuous[i]);
    floored_sum += floored[i];
    remainder[i] = continuous[i] - floored[i];
  }
  int need_to_add = static_cast<int>(n_draws - floored_sum);
  if (need_to_add > 0) {
    std::vector<double> values = remainder;
    std::sort(values.begin(), values.end(), std::greater<double>());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    for (double value : values) {
      std::vector<int> inds;
      for (std::size_t i = 0; i < k; ++i)
        if (remainder[i] == value) inds.push_back(static_cast<int>(i));
      const int add_now = std::min(static_cast<int>(inds.size()), need_to_add);
      for (int pick : rng.choice_without_replacement(static_cast<int>(inds.size()), add_now))
        floored[inds[pick]] += 1;
      need_to_add -= add_now;
      if (need_to_add == 0) break;
    }
  }
  std::vector<int> out(k);
  for (std::size_t i = 0; i < k; ++i) out[i] = static_cast<int>(floored[i]);
  return out;
}

SplitIndices shuffle_split(int n, SplitSizes sizes, RandomState& rng) {
  const auto perm = rng.permutation(n);
  SplitIndices s;
  s.test.assign(perm.begin(), perm.begin() + sizes.n_test);
  s.train.assign(perm.begin() + sizes.n_test, perm.begin() + sizes.n_test + sizes.n_train);
  return s;
}

SplitIndices stratified_shuffle_split(std::span<const int> labels, SplitSizes sizes,
                                      RandomState& rng) {
  std::vector<int> classes;
  const auto y = unique_inverse(labels, classes);
  const auto n_classes = static_cast<int>(classes.size());
  std::vector<int> counts(classes.size(), 0);
  for (int c : y) ++counts[c];
  for (int i = 0; i < n_classes; ++i)
    if (counts[i] < 2)
      fail("the least populated class in y (label " + std::to_string(classes[i]) +
           ") has only 1 member, which is too few: each class needs at least 2");
  if (sizes.n_train < n_classes)
    fail("train size " + std::to_string(sizes.n_train) +
         " should be at least the number of classes " + std::to_string(n_classes));
  if (sizes.n_test < n_classes)
    fail("test size " + std::to_string(sizes.n_test) +
         " should be at least the number of classes " + std::to_string(n_classes));
  // Members of each class in ascending index order (stable argsort of the class codes).
  std::vector<std::vector<int>> members(classes.size());
  for (std::size_t i = 0; i < y.size(); ++i) members[y[i]].push_back(static_cast<int>(i));

  const auto n_i = approximate_mode(counts, sizes.n_train, rng);
  std::vector<int> remaining(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) remaining[i] = counts[i] - n_i[i];
  const auto t_i = approximate_mode(remaining, sizes.n_test, rng);
  SplitIndices s;
  for (int i = 0; i < n_classes; ++i) {
    const auto perm = rng.permutation(counts[i]);
    for (int j = 0; j < n_i[i]; ++j) s.train.push_back(members[i][perm[j]]);
    for (int j = n_i[i]; j < n_i[i] + t_i[i]; ++j) s.test.push_back(members[i][perm[j]]);
  }
  rng.shuffle(s.train);
  rng.shuffle(s.test);
  return s;
}

SplitIndices train_test_split(int n, TestSize test_size, uint32_t random_state, bool shuffle,
                              std::span<const int> stratify) {
  const auto sizes = validate_shuffle_split(n, test_size);
  if (!stratify.empty() && static_cast<int>(stratify.size()) != n)
    fail("stratify has " + std::to_string(stratify.size()) + " labels for " +
         std::to_string(n) + " samples");
  if (!shuffle) {
    if (!stratify.empty())
      fail("stratified train/test split is not implemented for shuffle=false");
    SplitIndices s;
    s.train.resize(sizes.n_train);
    std::iota(s.train.begin(), s.train.end(), 0);
    s.test.resize(sizes.n_test);
    std::iota(s.test.begin(), s.test.end(), sizes.n_train);
    return s;
  }
  RandomState rng(random_state);
  return stratify.empty() ? shuffle_split(n, sizes, rng)
                          : stratified_shuffle_split(stratify, sizes, rng);
}

std::vector<SplitIndices> kfold(int n, int n_splits, bool shuffle,
                                std::optional<uint32_t> random_state) {
  check_kfold_args(n_splits, shuffle, random_state);
  if (n_splits > n)
    fail("cannot have n_splits=" + std::to_string(n_splits) +
         " greater than the number of samples n=" + std::to_string(n));
  std::vector<int> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  if (shuffle) RandomState(*random_state).shuffle(order);
  std::vector<int> fold_of(order.size());
  std::size_t current = 0;
  for (int f = 0; f < n_splits; ++f) {
    const std::size_t size = n / n_splits + (f < n % n_splits ? 1 : 0);
    for (std::size_t j = current; j < current + size; ++j) fold_of[order[j]] = f;
    current += size;
  }
  return folds_to_splits(fold_of, n_splits);
}

std::vector<SplitIndices> stratified_kfold(std::span<const int> labels, int n_splits,
                                           bool shuffle, std::optional<uint32_t> random_state) {
  check_kfold_args(n_splits, shuffle, random_state);
  const auto n = static_cast<int>(labels.size());
  if (n_splits > n)
    fail("cannot have n_splits=" + std::to_string(n_splits) +
         " greater than the number of samples n=" + std::to_string(n));
  std::optional<RandomState> rng;
  if (shuffle) rng.emplace(*random_state);
  // Classes numbered by order of first appearance.
  std::map<int, int> code;
  std::vector<int> y(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto it = code.emplace(labels[i], static_cast<int>(code.size())).first;
    y[i] = it->second;
  }
  const auto n_classes = static_cast<int>(code.size());
  std::vector<int> counts(code.size(), 0);
  for (int c : y) ++counts[c];
  if (std::all_of(counts.begin(), counts.end(), [&](int c) { return n_splits > c; }))
    fail("n_splits=" + std::to_string(n_splits) +
         " cannot be greater than the number of members in each class");
  // Round robin over the sorted codes: allocation[f][k] = members of class k in fold f.
  std::vector<int> sorted = y;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::vector<int>> allocation(n_splits, std::vector<int>(n_classes, 0));
  for (std::size_t i = 0; i < sorted.size(); ++i) ++allocation[i % n_splits][sorted[i]];
  std::vector<int> fold_of(labels.size(), 0);
  for (int k = 0; k < n_classes; ++k) {
    std::vector<int> folds_for_class;
    for (int f = 0; f < n_splits; ++f) folds_for_class.insert(folds_for_class.end(), allocation[f][k], f);
    if (rng) rng->shuffle(folds_for_class);
    std::size_t next = 0;
    for (std::size_t i = 0; i < y.size(); ++i)
      if (y[i] == k) fold_of[i] = folds_for_class[next++];
  }
  return folds_to_splits(fold_of, n_splits);
}

std::vector<SplitIndices> group_kfold(std::span<const int> groups, int n_splits, bool shuffle,
                                      std::optional<uint32_t> random_state) {
  check_kfold_args(n_splits, shuffle, random_state);
  std::vector<int> uniq;
  const auto gidx = unique_inverse(groups, uniq);
  const auto n_groups = static_cast<int>(uniq.size());
  if (n_splits > n_groups)
    fail("cannot have n_splits=" + std::to_string(n_splits) +
         " greater than the number of groups: " + std::to_string(n_groups));
  std::vector<int> fold_of_group(uniq.size(), 0);
  if (shuffle) {
    // permutation(unique_groups), then array_split into n_splits runs (longer runs first).
    const auto perm = RandomState(*random_state).permutation(n_groups);
    std::size_t pos = 0;
    for (int f = 0; f < n_splits; ++f) {
      const int size = n_groups / n_splits + (f < n_groups % n_splits ? 1 : 0);
      for (int j = 0; j < size; ++j) fold_of_group[perm[pos++]] = f;
    }
  } else {
    std::vector<long long> per_group(uniq.size(), 0);
    for (int g : gidx) ++per_group[g];
    // argsort(kind="stable")[::-1]: by size descending, ties by larger group index first.
    std::vector<int> order(uniq.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return per_group[a] < per_group[b]; });
    std::reverse(order.begin(), order.end());
    std::vector<long long> per_fold(n_splits, 0);
    for (int g : order) {
      const auto lightest = static_cast<int>(
          std::min_element(per_fold.begin(), per_fold.end()) - per_fold.begin());
      per_fold[lightest] += per_group[g];
      fold_of_group[g] = lightest;
    }
  }
  std::vector<int> fold_of(groups.size());
  for (std::size_t i = 0; i < groups.size(); ++i) fold_of[i] = fold_of_group[gidx[i]];
  return folds_to_splits(fold_of, n_splits);
}

std::vector<int> encode_sorted(const std::vector<std::string>& values,
                               std::vector<std::string>* classes) {
  std::vector<std::string> uniq = values;
  std::sort(uniq.begin(), uniq.end());
  uniq.erase(std::unique(uniq.begin(), uniq.end()), uniq.end());
  std::vector<int> codes(values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    codes[i] = static_cast<int>(std::lower_bound(uniq.begin(), uniq.end(), values[i]) - uniq.begin());
  if (classes) *classes = std::move(uniq);
  return codes;
}

}  // namespace gtzan::ml
