#pragma once
// Access to ../shared/fixtures/librosa: clips, golden frame arrays, 309-column rows.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/matrix.hpp"

namespace gtzan::test {

std::filesystem::path shared_dir();        // GTZAN_SHARED env var or ../shared
std::filesystem::path librosa_fixtures();  // shared_dir()/fixtures/librosa
std::vector<std::string> fixture_clips();  // clip names from manifest.json, in order
std::filesystem::path clip_wav(const std::string& clip);

// Golden array `name` of `clip` (e.g. "mel128"), widened to double. Empty if absent.
struct Golden {
  std::size_t rows = 0, cols = 0;
  std::vector<double> data;
  double at(std::size_t r, std::size_t c) const { return data[r * cols + c]; }
};
Golden golden(const std::string& clip, const std::string& name);

// Comparison summary of ours vs golden (same shape required).
struct Diff {
  double max_abs = 0;       // max |a - b|
  double ref_peak = 0;      // max |b|
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
