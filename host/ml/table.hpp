#pragma once
// A dense row-major float64 matrix for the model side: one row per sample (track or segment),
// one column per feature. at(r, c) = data[r * cols + c].
#include <cstddef>
#include <vector>

namespace gtzan::ml {

struct Table {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> data;

  Table() = default;
  Table(std::size_t r, std::size_t c, double fill = 0.0) : rows(r), cols(c), data(r * c, fill) {}

  double& at(std::size_t r, std::size_t c) { return data[r * cols + c]; }
  double at(std::size_t r, std::size_t c) const { return data[r * cols + c]; }
  double* row(std::size_t r) { return data.data() + r * cols; }
  const double* row(std::size_t r) const { return data.data() + r * cols; }
  bool empty() const { return data.empty(); }
};

// The rows of `t` listed in `rows`, in that order (e.g. a split's train indices).
inline Table take_rows(const Table& t, const std::vector<int>& rows) {
  Table out(rows.size(), t.cols);
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t c = 0; c < t.cols; ++c) out.at(i, c) = t.at(static_cast<std::size_t>(rows[i]), c);
  return out;
}

}  // namespace gtzan::ml
