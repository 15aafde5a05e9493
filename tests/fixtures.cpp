#include "fixtures.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gtzan::test {

// The compiled-in checkout; GTZAN_SOURCE_DIR in the environment overrides it for test programs
// run from another copy of the tree (bench/gpu_check.sh on the GPU machine).
std::filesystem::path source_dir() {
  if (const char* env = std::getenv("GTZAN_SOURCE_DIR")) return env;
  return GTZAN_SOURCE_DIR;
}
std::filesystem::path golden_dir() { return source_dir() / "tests" / "golden"; }
std::filesystem::path gtzan_data_dir() { return source_dir() / "data" / "gtzan"; }

std::filesystem::path librosa_fixtures() {
  auto dir = golden_dir() / "librosa";
  if (!std::filesystem::exists(dir / "manifest.json"))
    throw std::runtime_error("librosa fixtures not found at " + dir.string() +
                             " (they are part of the repository: is the checkout complete?)");
  return dir;
}

static const nlohmann::json& manifest() {
  static const nlohmann::json m = [] {
    std::ifstream in(librosa_fixtures() / "manifest.json");
    return nlohmann::json::parse(in);
  }();
  return m;
}

std::vector<std::string> fixture_clips() {
  std::vector<std::string> names;
  for (const auto& c : manifest()["clips"]) names.push_back(c["name"].get<std::string>());
  return names;
}

std::filesystem::path clip_wav(const std::string& clip) {
  for (const auto& c : manifest()["clips"])
    if (c["name"] == clip) return librosa_fixtures() / c["file"].get<std::string>();
  throw std::runtime_error("no fixture clip " + clip);
}

Golden golden(const std::string& clip, const std::string& name) {
  Golden g;
  for (const auto& c : manifest()["clips"]) {
    if (c["name"] != clip) continue;
    for (const auto& a : c["arrays"]) {
      if (a["name"] != name) continue;
      g.rows = a["shape"][0].get<std::size_t>();
      g.full_cols = a["shape"][1].get<std::size_t>();
      for (const auto& range : a["columns"])  // [begin, end) ranges of kept columns
        for (auto k = range[0].get<std::size_t>(); k < range[1].get<std::size_t>(); ++k)
          g.kept.push_back(k);
      g.cols = g.kept.size();
      g.peak = a["peak_abs"].get<double>();
      const bool f32 = a["dtype"] == "float32";
      std::ifstream in(librosa_fixtures() / a["file"].get<std::string>(), std::ios::binary);
      g.data.resize(g.rows * g.cols);
      if (f32) {
        std::vector<float> tmp(g.data.size());
        in.read(reinterpret_cast<char*>(tmp.data()), tmp.size() * sizeof(float));
        std::copy(tmp.begin(), tmp.end(), g.data.begin());
      } else {
        in.read(reinterpret_cast<char*>(g.data.data()), g.data.size() * sizeof(double));
      }
      if (!in) throw std::runtime_error("short fixture file for " + clip + "/" + name);
      return g;
    }
  }
  return g;
}

Golden whole_golden(std::size_t rows, std::vector<double> data) {
  Golden g;
  g.rows = rows;
  g.cols = g.full_cols = rows ? data.size() / rows : 0;
  for (std::size_t c = 0; c < g.cols; ++c) g.kept.push_back(c);
  for (double v : data) g.peak = std::max(g.peak, std::abs(v));
  g.data = std::move(data);
  return g;
}

Matrix kept_columns(const Matrix& ours, const Golden& ref) {
  if (ours.rows != ref.rows || (ours.cols != ref.full_cols && ours.cols != ref.cols))
    throw std::runtime_error("shape mismatch: ours " + std::to_string(ours.rows) + "x" +
                             std::to_string(ours.cols) + " vs golden " +
                             std::to_string(ref.rows) + "x" + std::to_string(ref.full_cols) +
                             " (" + std::to_string(ref.cols) + " columns kept)");
  if (ours.cols == ref.cols) return ours;  // whole golden, or ours computed from kept input
  Matrix out(ours.rows, ref.cols);
  for (std::size_t r = 0; r < ours.rows; ++r)
    for (std::size_t j = 0; j < ref.cols; ++j) out.at(r, j) = ours.at(r, ref.kept[j]);
  return out;
}

Matrix to_matrix(const Golden& g) {
  Matrix m(g.rows, g.cols);
  for (std::size_t i = 0; i < g.data.size(); ++i) m.data[i] = static_cast<float>(g.data[i]);
  return m;
}

Diff compare(const Matrix& ours_any, const Golden& ref) {
  const Matrix ours = kept_columns(ours_any, ref);
  Diff d;
  for (std::size_t i = 0; i < ref.data.size(); ++i)
    d.max_abs = std::max(d.max_abs, std::abs(static_cast<double>(ours.data[i]) - ref.data[i]));
  d.ref_peak = ref.peak;
  d.rel_to_peak = d.ref_peak > 0 ? d.max_abs / d.ref_peak : (d.max_abs > 0 ? 1.0 : 0.0);
  return d;
}

int CsvTable::column(const std::string& name) const {
  auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? -1 : static_cast<int>(it - header.begin());
}

CsvTable read_csv(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  CsvTable t;
  std::string line;
  auto split = [](std::string s) {
    if (!s.empty() && s.back() == '\r') s.pop_back();
    std::vector<std::string> cells;
    std::stringstream ss(s);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    if (!s.empty() && s.back() == ',') cells.emplace_back();
    return cells;
  };
  if (std::getline(in, line)) t.header = split(line);
  while (std::getline(in, line))
    if (!line.empty() && line != "\r") t.rows.push_back(split(line));
  return t;
}

}  // namespace gtzan::test
