#pragma once
// The LSTM's input: MFCC-13 frames of each clip as a (frames, 13) time-major sequence, zero
// padded or truncated to a fixed number of frames (the study pads to 1300 for 30 s). Shared
// by the experiments, `gtzan train --audio` and `gtzan predict`, so a model sees the same
// sequences when it is trained and when it is used.
#include <filesystem>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "audio/dataset.hpp"
#include "jobs/extract_features.hpp"
#include "ml/feature_table.hpp"

namespace gtzan::jobs {

inline constexpr int kMfccChannels = 13;
inline constexpr int kFramesPer30s = 1300;

// Sequence length for clips of clip_seconds: frames_per_30s scaled (130 for 3-s segments).
int sequence_frames(double clip_seconds, int frames_per_30s = kFramesPer30s);

// One clip's sequence: frames x 13 values, row t = the 13 coefficients of frame t.
std::vector<float> mfcc13_sequence(std::span<const float> clip, int frames);

struct SequenceTable {
  ml::FeatureTable table;  // one row per clip (X: frames * 13 columns), genres, labels, segments
  std::vector<std::pair<std::string, std::string>> failures;  // file, reason
};

// Decodes every entry, cuts it as `clips` says (make_clips: length, segments) and computes the
// sequences on `threads` workers. Files that fail are listed in failures, not thrown.
SequenceTable mfcc13_sequence_table(const std::vector<audio::DatasetEntry>& entries,
                                    const ExtractOptions& clips, int frames, int threads);

}  // namespace gtzan::jobs
