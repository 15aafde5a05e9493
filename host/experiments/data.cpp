#include "experiments/data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "audio/dataset.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/npy.hpp"
#include "jobs/extract_features.hpp"
#include "jobs/mfcc_sequences.hpp"
#include "ml/splits.hpp"
#include "synth/synth.hpp"

namespace gtzan::experiments {
namespace fs = std::filesystem;

std::string hash_hex(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string file_hash(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw InputError(p, "cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return hash_hex(ss.str());
}

int segments_for(double track_seconds, double segment_seconds) {
  if (segment_seconds >= track_seconds - 1e-9) return 1;
  return std::max(1, static_cast<int>(std::floor(track_seconds / segment_seconds + 1e-9)));
}

fs::path ensure_synthetic(const fs::path& dir, const DataConfig& d) {
  const fs::path marker = dir / "COMPLETE";
  if (fs::exists(marker)) return dir;
  std::fprintf(stderr, "experiment: writing the synthetic dataset (%d tracks/genre, %.1f s) to %s\n",
               d.synthetic_tracks_per_genre, d.synthetic_seconds, dir.string().c_str());
  synth::write_dataset(dir, d.synthetic_tracks_per_genre, d.synthetic_seconds, d.synthetic_seed);
  write_file_atomically(marker, [](std::ostream& o) { o << "ok\n"; });
  return dir;
}

DataSource DataSource::from_audio(const fs::path& audio_dir, const fs::path& cache_dir,
                                  const ExperimentConfig& cfg, int threads) {
  DataSource s;
  s.audio_dir_ = audio_dir;
  s.cache_dir_ = cache_dir;
  s.cfg_ = cfg;
  s.threads_ = threads;
  s.description_ = "audio " + audio_dir.string() + " (" + cfg.data.feature_set + ", tracks " +
                   fmt::format("{:g}", cfg.data.track_seconds) + " s)";
  fs::create_directories(cache_dir);
  return s;
}

DataSource DataSource::from_features(const std::vector<fs::path>& csvs, const ExperimentConfig& cfg) {
  DataSource s;
  s.cfg_ = cfg;
  for (const auto& p : csvs) {
    Table t;
    t.t = ml::read_feature_table(p);
    t.fingerprint = file_hash(p);
    // Segment length from the rows per track: Kaggle's 3-s table has ten per 30-s track.
    std::map<std::string, int> per_track;
    bool segmented = false;
    for (std::size_t i = 0; i < t.t.rows(); ++i) {
      ++per_track[t.t.track_ids[i]];
      segmented = segmented || t.t.segments[i] >= 0;
    }
    int most = 1;
    for (const auto& [k, n] : per_track) most = std::max(most, n);
    t.clip_seconds = segmented ? 30.0 / std::max(most, 1) : 30.0;
    s.description_ += (s.description_.empty() ? "" : ", ") + p.filename().string();
    s.given_.push_back(std::move(t));
  }
  return s;
}

namespace {

// MFCC-13 frames of every clip (jobs/mfcc_sequences), one row per clip; bad files reported.
ml::FeatureTable mfcc_sequences(const fs::path& audio_dir, double track_seconds, int segments,
                                int frames, int threads) {
  jobs::ExtractOptions o;
  o.length_seconds = track_seconds;
  o.segments = segments > 1 ? static_cast<std::size_t>(segments) : 0;
  auto result = jobs::mfcc13_sequence_table(audio::scan_dataset(audio_dir), o, frames, threads);
  for (const auto& [file, why] : result.failures)
    std::fprintf(stderr, "experiment: skipped %s: %s\n", file.c_str(), why.c_str());
  return std::move(result.table);
}

void save_sequences(const fs::path& path, const ml::FeatureTable& t) {
  Matrix m(t.X.rows, t.X.cols);
  for (std::size_t i = 0; i < t.X.data.size(); ++i) m.data[i] = static_cast<float>(t.X.data[i]);
  write_npy(path.string() + ".npy", m);
  nlohmann::json j = {{"track_ids", t.track_ids}, {"genres", t.genres}, {"segments", t.segments},
                      {"filenames", t.filenames}};
  write_file_atomically(path.string() + ".json", [&](std::ostream& o) { o << j.dump() << '\n'; });
}

bool load_sequences(const fs::path& path, ml::FeatureTable& t) {
  if (!fs::exists(path.string() + ".npy") || !fs::exists(path.string() + ".json")) return false;
  const Matrix m = read_npy(path.string() + ".npy");
  std::ifstream in(path.string() + ".json");
  const auto j = nlohmann::json::parse(in);
  t.X = ml::Table(m.rows, m.cols);
  for (std::size_t i = 0; i < m.data.size(); ++i) t.X.data[i] = m.data[i];
  t.track_ids = j.at("track_ids").get<std::vector<std::string>>();
  t.genres = j.at("genres").get<std::vector<std::string>>();
  t.segments = j.at("segments").get<std::vector<int>>();
  t.filenames = j.at("filenames").get<std::vector<std::string>>();
  return t.track_ids.size() == m.rows;
}

}  // namespace

const DataSource::Table* DataSource::table_for(double seconds, bool sequences, std::string* note) {
  if (!given_.empty()) {
    if (sequences) {
      *note = "no audio (--features): the LSTM's MFCC sequences need --data";
      return nullptr;
    }
    for (const auto& t : given_)
      if (std::abs(t.clip_seconds - seconds) < 1e-6 ||
          (seconds >= cfg_.data.track_seconds - 1e-9 && t.clip_seconds >= 30.0 - 1e-9))
        return &t;
    *note = "no " + jobs::format_value(seconds) + "-s feature table among --features";
    return nullptr;
  }
  const double track = cfg_.data.track_seconds;
  const int segs = segments_for(track, seconds);
  const int frames = jobs::sequence_frames(track / segs, cfg_.lstm.frames_per_30s);
  const std::string key = (sequences ? "mfcc13_" + std::to_string(frames) : cfg_.data.feature_set) +
                          "_" + std::to_string(segs) + "x_" + jobs::format_value(track) + "s";
  if (auto it = cache_.find(key); it != cache_.end()) return it->second.get();
  const std::string id = hash_hex(fs::absolute(audio_dir_).lexically_normal().string() + "|" + key);
  auto t = std::make_unique<Table>();
  t->clip_seconds = track / segs;
  if (sequences) {
    const fs::path base = cache_dir_ / ("sequences_" + key + "_" + id);
    if (!load_sequences(base, t->t)) {
      std::fprintf(stderr, "experiment: MFCC-13 sequences (%d frames, %d per track) -> %s.npy\n", frames, segs,
                   base.string().c_str());
      t->t = mfcc_sequences(audio_dir_, track, segs, frames, threads_);
      save_sequences(base, t->t);
    }
    t->fingerprint = file_hash(base.string() + ".npy");
  } else {
    const fs::path csv = cache_dir_ / ("features_" + key + "_" + id + ".csv");
    if (!fs::exists(csv)) {
      std::fprintf(stderr, "experiment: extracting %s features (%d per track) -> %s\n",
                   cfg_.data.feature_set.c_str(), segs, csv.string().c_str());
      jobs::ExtractOptions o;
      o.input = audio_dir_;
      o.set = cfg_.data.feature_set;
      o.out = csv;
      o.segments = segs > 1 ? static_cast<std::size_t>(segs) : 0;
      o.length_seconds = track;
      o.threads = threads_;
      o.quiet = true;
      const auto summary = jobs::extract_features(o);
      for (const auto& [file, why] : summary.failures)
        std::fprintf(stderr, "experiment: skipped %s: %s\n", file.c_str(), why.c_str());
    }
    t->t = ml::read_feature_table(csv);
    t->fingerprint = file_hash(csv);
  }
  return (cache_[key] = std::move(t)).get();
}

std::optional<CellData> DataSource::cell_data(const std::string& subset, double seconds, bool sequences,
                                              std::string* note) {
  const Table* src = table_for(seconds, sequences, note);
  if (!src) return std::nullopt;
  const auto genres = subset_genres(subset);
  std::vector<int> rows;
  std::set<std::string> present;
  for (std::size_t i = 0; i < src->t.rows(); ++i)
    if (std::find(genres.begin(), genres.end(), src->t.genres[i]) != genres.end()) {
      rows.push_back(static_cast<int>(i));
      present.insert(src->t.genres[i]);
    }
  if (present.size() < 2) {
    *note = "fewer than two of the subset's genres in the data";
    return std::nullopt;
  }
  CellData d;
  for (const auto& g : genres)
    if (present.count(g)) d.classes.push_back(g);
  d.X = ml::take_rows(src->t.X, rows);
  d.sample_shape = sequences ? std::vector<int>{static_cast<int>(src->t.X.cols / 13), 13}
                             : std::vector<int>{static_cast<int>(src->t.X.cols)};
  for (int r : rows) {
    d.y.push_back(static_cast<int>(std::find(d.classes.begin(), d.classes.end(), src->t.genres[r]) - d.classes.begin()));
    d.track_ids.push_back(src->t.track_ids[r]);
  }
  d.groups = ml::encode_sorted(d.track_ids);
  d.clip_seconds = src->clip_seconds;
  d.fingerprint = src->fingerprint;
  return d;
}

FilteredSplit load_fault_filtered(const fs::path& dir) {
  FilteredSplit s;
  s.folder = dir;
  auto read = [&](const char* name, std::vector<std::string>& out) {
    std::ifstream in(dir / name);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      auto stem = fs::path(line).filename().replace_extension().string();
      out.push_back(stem);
    }
  };
  read("fault_filtered_train.txt", s.train);
  read("fault_filtered_valid.txt", s.train);
  read("fault_filtered_test.txt", s.test);
  return s;
}

fs::path default_splits_dir() {
  if (const char* e = std::getenv("GTZAN_SPLITS_DIR")) return e;
  // The lists ship in the repository (data/gtzan/splits): look from the working directory
  // up, then from the executable's folder up (build/gtzan, or an installed copy).
  const fs::path rel = fs::path("data") / "gtzan" / "splits";
  std::error_code ec;
  for (const fs::path& start : {fs::current_path(ec), fs::read_symlink("/proc/self/exe", ec).parent_path()}) {
    for (fs::path d = start; !d.empty(); d = d.parent_path()) {
      if (fs::exists(d / rel / "fault_filtered_test.txt", ec)) return d / rel;
      if (d == d.parent_path()) break;
    }
  }
  return rel;
}

}  // namespace gtzan::experiments
