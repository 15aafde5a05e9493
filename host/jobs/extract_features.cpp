#include "jobs/extract_features.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "audio/audio_io.hpp"
#include "audio/dataset.hpp"
#include "backend/feature_backend.hpp"
#include "backend/parallel.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"

namespace gtzan::jobs {
namespace fs = std::filesystem;

std::string format_value(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{}", v);  // shortest representation that reads back exactly
}

FileClips cut_file(std::vector<float> y, const ExtractOptions& o) {
  FileClips f;
  if (o.length_seconds > 0) {
    const auto n = static_cast<std::size_t>(std::llround(o.length_seconds * audio::kSampleRate));
    y = audio::fix_length(y, n);
  }
  f.samples = std::move(y);
  const std::span<const float> all(f.samples);
  std::vector<std::span<const float>> segments;
  if (o.segments > 0) segments = audio::array_split_views(all, o.segments);
  else if (o.segment_seconds > 0)
    segments = audio::fixed_segment_views(
        all, static_cast<std::size_t>(std::llround(o.segment_seconds * audio::kSampleRate)));
  const bool segmented = o.segments > 0 || o.segment_seconds > 0;
  // A file too short for one fixed segment has no segment rows, so no rows at all.
  if (segmented && segments.empty()) return f;
  f.first_is_track = segmented && !o.track_out.empty();
  if (!segmented || f.first_is_track) f.clips.push_back(all);
  f.clips.insert(f.clips.end(), segments.begin(), segments.end());
  return f;
}

std::vector<std::vector<float>> make_clips(std::vector<float> y, const ExtractOptions& options) {
  ExtractOptions o = options;
  o.track_out.clear();
  const FileClips f = cut_file(std::move(y), o);
  std::vector<std::vector<float>> clips;
  for (const auto& c : f.clips) clips.emplace_back(c.begin(), c.end());
  return clips;
}

namespace {

// Checkpoint files: OUT.partial holds "<key>\t<csv row>" lines, OUT.partial.done the keys of
// files whose rows are all in OUT.partial (written after the rows are flushed).
struct Checkpoint {
  fs::path rows_path, done_path;
  std::map<std::string, std::vector<std::string>> rows;  // key -> csv rows
  std::set<std::string> done;

  explicit Checkpoint(const fs::path& out)
      : rows_path(out.string() + ".partial"), done_path(out.string() + ".partial.done") {}

  void load(const std::string& header) {
    std::ifstream in_rows(rows_path), in_done(done_path);
    std::string line;
    if (!in_rows || !in_done || !std::getline(in_rows, line) || line != header) {
      fs::remove(rows_path);
      fs::remove(done_path);
      return;  // nothing to resume (or another set/columns): start afresh
    }
    while (std::getline(in_done, line))
      if (!line.empty()) done.insert(line);
    while (std::getline(in_rows, line)) {
      const auto tab = line.find('\t');
      if (tab == std::string::npos) continue;
      const std::string key = line.substr(0, tab);
      if (done.count(key)) rows[key].push_back(line.substr(tab + 1));
    }
  }

  void start(const std::string& header) {
    if (fs::exists(rows_path)) return;
    std::ofstream out(rows_path);
    out << header << "\n";
    std::ofstream(done_path, std::ios::trunc);
  }

  void append(const std::string& key, const std::vector<std::string>& lines) {
    {
      std::ofstream out(rows_path, std::ios::app);
      for (const auto& l : lines) out << key << '\t' << l << '\n';
      out.flush();
      if (!out) throw std::runtime_error(rows_path.string() + ": cannot write checkpoint");
    }
    std::ofstream d(done_path, std::ios::app);
    d << key << '\n';
    rows[key] = lines;
  }

  void remove() {
    fs::remove(rows_path);
    fs::remove(done_path);
  }
};

}  // namespace

ExtractSummary extract_features(const ExtractOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  if (o.segments > 0 && o.segment_seconds > 0)
    throw std::invalid_argument("--segments and --segment-seconds are exclusive");
  if (o.segment_seconds < 0 || o.length_seconds < 0)
    throw std::invalid_argument("segment and track lengths must be positive");
  if (o.out.empty()) throw std::invalid_argument("--out is required");
  const bool segmented = o.segments > 0 || o.segment_seconds > 0;
  if (!o.track_out.empty() && !segmented)
    throw std::invalid_argument("--track-out needs --segments or --segment-seconds (the segment rows go to --out)");
  if (!o.track_out.empty() && fs::weakly_canonical(o.track_out) == fs::weakly_canonical(o.out))
    throw std::invalid_argument("--track-out and --out must be different files");
  const features::FeatureSet& set = features::find_feature_set(o.set);
  const auto entries = audio::scan_dataset(o.input);

  std::string note;
  auto be = backend::make_backend(o.device, o.threads, &set, &note, o.batch, o.streams);
  if (!note.empty()) std::fprintf(stderr, "features: %s\n", note.c_str());
  const int threads = o.threads > 0 ? o.threads : backend::default_threads();

  std::string header = "filename,label,segment";
  for (const auto& c : set.column_names()) header += "," + c;

  ExtractSummary s;
  s.backend = be->name();
  // Name the device: an emulated CUDA build says so ("emulated CUDA on the CPU ..."), so its
  // timings are never mistaken for a GPU's.
  if (s.backend == "cuda") s.backend += " (" + backend::cuda_device_name() + ")";
  s.files = entries.size();
  s.track_out = o.track_out;
  // With --track-out each file's checkpointed lines are its track row, then its segment rows;
  // the marker keeps a resumed job from mixing the two layouts.
  const std::string ckpt_header = o.track_out.empty() ? header : header + "\t#track-row-first";
  Checkpoint ckpt(o.out);
  ckpt.load(ckpt_header);
  ckpt.start(ckpt_header);

  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (ckpt.done.count(entries[i].path.string())) ++s.files_resumed;
    else todo.push_back(i);
  }
  if (s.files_resumed)
    std::fprintf(stderr, "features: resuming, %zu of %zu files already done in %s\n",
                 s.files_resumed, entries.size(), ckpt.rows_path.c_str());

  Progress progress("features", todo.size());
  // The GPU takes bigger chunks (a batch for each stream in flight); the CPU a few files per thread.
  const std::size_t chunk = be->name() == "cuda"
                                ? static_cast<std::size_t>(std::max(1, o.batch) * std::max(1, o.streams))
                                : std::max<std::size_t>(8, 2 * static_cast<std::size_t>(threads));
  struct Decoded {
    std::vector<FileClips> files;  // per file: its track and/or segments (views)
    std::vector<std::string> errors;
  };
  auto decode = [&](std::size_t begin) {
    const std::size_t n = std::min(todo.size(), begin + chunk) - begin;
    Decoded d{std::vector<FileClips>(n), std::vector<std::string>(n)};
    backend::parallel_for(n, threads, [&](std::size_t k) {
      const auto& e = entries[todo[begin + k]];
      try {
        d.files[k] = cut_file(audio::load_mono(e.path), o);
        if (d.files[k].clips.empty()) d.errors[k] = "shorter than one segment";
      } catch (const InputError& err) {
        d.errors[k] = err.reason();
      } catch (const std::exception& err) {
        d.errors[k] = err.what();
      }
    });
    return d;
  };
  // Decoding of the next chunk overlaps the features of this one.
  std::future<Decoded> next;
  if (!todo.empty()) next = std::async(std::launch::async, decode, std::size_t{0});
  for (std::size_t begin = 0; begin < todo.size(); begin += chunk) {
    const std::size_t n = std::min(todo.size(), begin + chunk) - begin;
    Decoded current = next.get();
    if (begin + chunk < todo.size()) next = std::async(std::launch::async, decode, begin + chunk);
    const auto& files = current.files;
    auto& errors = current.errors;
    std::vector<std::span<const float>> flat;
    for (std::size_t k = 0; k < n; ++k)
      flat.insert(flat.end(), files[k].clips.begin(), files[k].clips.end());
    const auto results = be->compute_rows(set, flat);

    std::size_t r = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const auto& e = entries[todo[begin + k]];
      const std::size_t count = files[k].clips.size();
      for (std::size_t j = 0; j < count && errors[k].empty(); ++j)
        if (!results[r + j].error.empty()) errors[k] = results[r + j].error;
      if (!errors[k].empty()) {
        std::fprintf(stderr, "\nfeatures: skipping %s: %s\n", e.path.c_str(), errors[k].c_str());
        s.failures.emplace_back(e.path.string(), errors[k]);
        r += count;
        continue;
      }
      std::vector<std::string> lines;
      const std::size_t first_segment = files[k].first_is_track ? 1 : 0;
      for (std::size_t j = 0; j < count; ++j, ++r) {
        std::string line = e.path.filename().string() + "," + e.label + ",";
        if (segmented && j >= first_segment) line += std::to_string(j - first_segment);
        for (double v : results[r].values) line += "," + format_value(v);
        lines.push_back(std::move(line));
      }
      ckpt.append(e.path.string(), lines);
    }
    if (!o.quiet) progress.advance(n);
  }
  if (!o.quiet && !todo.empty()) progress.finish();

  // Final tables in dataset order, written atomically; the checkpoint goes once they are in place.
  const std::size_t skip = o.track_out.empty() ? 0 : 1;  // the track row leads each file's lines
  if (skip)
    write_file_atomically(o.track_out, [&](std::ostream& out) {
      out << header << '\n';
      for (const auto& e : entries) {
        auto it = ckpt.rows.find(e.path.string());
        if (it == ckpt.rows.end() || it->second.empty()) continue;
        out << it->second.front() << '\n';
        ++s.track_rows;
        if (it->second.front().find(",nan") != std::string::npos) ++s.rows_with_nan;
      }
    });
  write_file_atomically(o.out, [&](std::ostream& out) {
    out << header << '\n';
    for (const auto& e : entries) {
      auto it = ckpt.rows.find(e.path.string());
      if (it == ckpt.rows.end()) continue;
      for (std::size_t j = skip; j < it->second.size(); ++j) {
        const auto& line = it->second[j];
        out << line << '\n';
        ++s.rows;
        if (line.find(",nan") != std::string::npos) ++s.rows_with_nan;
      }
    }
  });
  ckpt.remove();
  s.files_ok = s.files - s.failures.size();
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

std::string format_summary(const ExtractSummary& s, const fs::path& out) {
  std::ostringstream os;
  os << fmt::format("features: {} of {} files ok ({} resumed), {} rows -> {} [{} backend, {:.1f} s]\n",
                    s.files_ok, s.files, s.files_resumed, s.rows, out.string(), s.backend, s.seconds);
  if (!s.track_out.empty())
    os << fmt::format("features: {} track rows -> {} (same pass)\n", s.track_rows, s.track_out.string());
  if (s.rows_with_nan)
    os << fmt::format("features: {} rows contain NaN values (written as nan)\n", s.rows_with_nan);
  if (!s.failures.empty()) {
    os << fmt::format("features: {} files failed and were skipped:\n", s.failures.size());
    for (const auto& [file, why] : s.failures) os << "  " << file << ": " << why << '\n';
  }
  return os.str();
}

}  // namespace gtzan::jobs
