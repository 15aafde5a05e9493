#pragma once
// The `gtzan features` batch job: scan, decode, cut into tracks or segments, compute a
// feature set on a backend, write one CSV. Bad files are reported, skipped and summarised;
// rows are checkpointed to OUT.partial so an interrupted job resumes where it stopped.
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "backend/feature_backend.hpp"

namespace gtzan::jobs {

struct ExtractOptions {
  std::filesystem::path input;
  std::string set = "core";
  std::filesystem::path out;
  // --track-out FILE (with --segments or --segment-seconds): the track rows go to FILE and the
  // segment rows to `out`, from one decode and one backend call per file (the segments are
  // views into the track: the CUDA backend uploads each track once for both tables).
  std::filesystem::path track_out;
  std::size_t segments = 0;        // --segments N: numpy.array_split into N pieces
  double segment_seconds = 0;      // --segment-seconds S: fixed pieces, short tail dropped
  double length_seconds = 30.0;    // pad/trim every file to this length first (0 = as loaded)
  backend::Device device = backend::Device::Cpu;
  int threads = 0;                 // 0 = all cores
  int batch = 64;                  // clips per GPU launch (--device cuda)
  int streams = 2;                 // GPU batches in flight at once (--device cuda)
  bool strict = false;             // exit status 1 when any file failed
  bool quiet = false;              // no progress line
};

struct ExtractSummary {
  std::size_t files = 0, files_ok = 0, files_resumed = 0, rows = 0, rows_with_nan = 0;
  std::size_t track_rows = 0;                                 // with --track-out
  std::filesystem::path track_out;
  std::vector<std::pair<std::string, std::string>> failures;  // file, reason
  std::string backend;
  double seconds = 0;
};

// Throws gtzan::InputError / std::invalid_argument for problems that stop the whole job
// (missing input, unknown set, unwritable output). Per-file problems land in the summary.
ExtractSummary extract_features(const ExtractOptions& options);

// The human-readable end-of-run summary.
std::string format_summary(const ExtractSummary& s, const std::filesystem::path& out);

// One loaded file, padded/trimmed to --length, and the clips cut from it as views into
// `samples`: the track, or its segments, or (with track_out) the track followed by its
// segments. Moving a FileClips keeps the views valid (the vector's buffer moves with it).
struct FileClips {
  std::vector<float> samples;
  std::vector<std::span<const float>> clips;
  bool first_is_track = false;  // clips[0] is the whole track, the rest its segments
};
FileClips cut_file(std::vector<float> y, const ExtractOptions& options);

// Cuts one loaded file into the clips the options ask for (track, array_split or fixed), as
// copies (track_out is ignored).
std::vector<std::vector<float>> make_clips(std::vector<float> y, const ExtractOptions& options);

// The number as the CSV writes it (shortest round-trip form; NaN as "nan").
std::string format_value(double v);

}  // namespace gtzan::jobs
