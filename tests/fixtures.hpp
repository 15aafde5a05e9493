#pragma once
// Access to the librosa fixtures in tests/golden/librosa (made by tests/make_goldens.py):
// clips, golden frame arrays, 309-column rows.
//
// The 30-s clips' frame arrays are stored in windows (the first, middle and last 32 frames;
// waveforms: 3 windows of 8192 samples) to keep the repository lean. A Golden knows which
// columns of the full array it holds and the full array's peak, so a comparison against the
// whole array computed by us checks those columns, relative to the same peak as before.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/matrix.hpp"

namespace gtzan::test {

std::filesystem::path source_dir();        // the repository (compiled in)
std::filesystem::path golden_dir();        // source_dir()/tests/golden
std::filesystem::path librosa_fixtures();  // golden_dir()/librosa
std::filesystem::path gtzan_data_dir();    // source_dir()/data/gtzan (Kaggle's tables, splits)
std::vector<std::string> fixture_clips();  // clip names from manifest.json, in order
std::filesystem::path clip_wav(const std::string& clip);

// Golden array `name` of `clip` (e.g. "mel128"), widened to double. Empty if absent.
struct Golden {
  std::size_t rows = 0, cols = 0;  // what is stored: cols = kept columns
  std::size_t full_cols = 0;       // columns of librosa's whole array
  std::vector<std::size_t> kept;   // kept[j] = column of the whole array held in column j
  double peak = 0;                 // max |value| over the whole array (not just the kept part)
  std::vector<double> data;        // rows x cols, row-major
  double at(std::size_t r, std::size_t c) const { return data[r * cols + c]; }
  bool whole() const { return cols == full_cols; }
};
Golden golden(const std::string& clip, const std::string& name);
// A whole golden array from values read elsewhere (rows x data.size()/rows, row-major).
Golden whole_golden(std::size_t rows, std::vector<double> data);

// The kept columns of a whole array computed by us (ours.cols == ref.full_cols), or ours as
// is when it was computed from golden input and already holds only the kept columns.
Matrix kept_columns(const Matrix& ours, const Golden& ref);

// A golden as a float Matrix of its kept columns (to feed golden input to our code).
Matrix to_matrix(const Golden& g);

// Comparison summary of ours vs golden over the kept columns. ours has either the whole
// array's columns or exactly the kept ones; anything else throws.
struct Diff {
  double max_abs = 0;       // max |a - b| over the kept columns
  double ref_peak = 0;      // max |b| over the whole golden array
  double rel_to_peak = 0;   // max_abs / ref_peak (0 when both are 0)
};
Diff compare(const Matrix& ours, const Golden& ref);

// A CSV of the fixtures (header + rows); cells kept as strings.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int column(const std::string& name) const;  // -1 if absent
};
CsvTable read_csv(const std::filesystem::path& path);

}  // namespace gtzan::test
