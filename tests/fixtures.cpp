#include "fixtures.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gtzan::test {

std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("GTZAN_SHARED")) return env;
  return GTZAN_SHARED_DIR;
}

std::filesystem::path librosa_fixtures() {
  auto dir = shared_dir() / "fixtures" / "librosa";
  if (!std::filesystem::exists(dir / "manifest.json"))
    throw std::runtime_error("librosa fixtures not found at " + dir.string() +
                             " (set GTZAN_SHARED to the shared/ folder)");
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
      g.cols = a["shape"][1].get<std::size_t>();
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

Diff compare(const Matrix& ours, const Golden& ref) {
  if (ours.rows != ref.rows || ours.cols != ref.cols)
    throw std::runtime_error("shape mismatch: ours " + std::to_string(ours.rows) + "x" +
                             std::to_string(ours.cols) + " vs golden " +
                             std::to_string(ref.rows) + "x" + std::to_string(ref.cols));
  Diff d;
  for (std::size_t i = 0; i < ref.data.size(); ++i) {
    d.max_abs = std::max(d.max_abs, std::abs(static_cast<double>(ours.data[i]) - ref.data[i]));
    d.ref_peak = std::max(d.ref_peak, std::abs(ref.data[i]));
  }
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
