#include "jobs/mfcc_sequences.hpp"

#include <algorithm>
#include <cmath>

#include "audio/audio_io.hpp"
#include "backend/parallel.hpp"
#include "core/error.hpp"
#include "features/clip_graph.hpp"
#include "ml/splits.hpp"

namespace gtzan::jobs {

int sequence_frames(double clip_seconds, int frames_per_30s) {
  return std::max(1, static_cast<int>(std::lround(frames_per_30s * clip_seconds / 30.0)));
}

std::vector<float> mfcc13_sequence(std::span<const float> clip, int frames) {
  features::ClipGraph g(clip);
  const Matrix& m = g.frame("mfcc13");  // (13, clip frames)
  std::vector<float> seq(static_cast<std::size_t>(frames) * kMfccChannels, 0.0f);
  for (std::size_t t = 0; t < std::min<std::size_t>(m.cols, static_cast<std::size_t>(frames)); ++t)
    for (std::size_t c = 0; c < kMfccChannels; ++c) seq[t * kMfccChannels + c] = m.at(c, t);
  return seq;
}

SequenceTable mfcc13_sequence_table(const std::vector<audio::DatasetEntry>& entries,
                                    const ExtractOptions& clips, int frames, int threads) {
  std::vector<std::vector<std::vector<float>>> rows(entries.size());
  std::vector<std::string> errors(entries.size());
  backend::parallel_for(entries.size(), threads <= 0 ? 2 : threads, [&](std::size_t i) {
    try {
      for (auto& clip : make_clips(audio::load_mono(entries[i].path), clips))
        rows[i].push_back(mfcc13_sequence(clip, frames));
      if (rows[i].empty()) errors[i] = "shorter than one segment";
    } catch (const InputError& e) {
      errors[i] = e.reason();
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
  });
  SequenceTable out;
  ml::FeatureTable& t = out.table;
  t.X.cols = static_cast<std::size_t>(frames) * kMfccChannels;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!errors[i].empty()) {
      out.failures.emplace_back(entries[i].path.string(), errors[i]);
      continue;
    }
    const std::string track = entries[i].path.stem().string();
    for (std::size_t s = 0; s < rows[i].size(); ++s) {
      t.X.data.insert(t.X.data.end(), rows[i][s].begin(), rows[i][s].end());
      ++t.X.rows;
      t.filenames.push_back(entries[i].path.filename().string());
      t.track_ids.push_back(track);
      t.segments.push_back(rows[i].size() > 1 ? static_cast<int>(s) : -1);
      t.genres.push_back(entries[i].label);
    }
  }
  t.labels = ml::encode_sorted(t.genres, &t.classes);
  return out;
}

}  // namespace gtzan::jobs
