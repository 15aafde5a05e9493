#pragma once
// How the CUDA feature backend groups clips, in plain C++ so it is tested without a GPU
// (tests/test_clip_batches.cpp). A clip may be a view into an earlier clip's samples (a track's
// segments inside the track, from `gtzan features --track-out` or `bench features --segments`):
// such a clip is cut out of its parent on the device instead of being copied again, and a batch
// boundary never separates it from its parent.
#include <cstddef>
#include <functional>
#include <span>
#include <utility>
#include <vector>

namespace gtzan::backend {

struct ClipView {
  int parent = -1;   // index of the earlier clip whose samples contain this one; -1: none
  long offset = 0;   // where it starts in the parent
};

// True when `inner` lies within `outer`'s memory (std::less keeps the pointer order defined).
inline bool lies_within(std::span<const float> inner, std::span<const float> outer) {
  const std::less_equal<const float*> le;
  return le(outer.data(), inner.data()) && le(inner.data() + inner.size(), outer.data() + outer.size());
}

// For each clip, the earlier non-view clip containing it. The usual order is a track followed
// by its own segments, so the most recent parent is tried first.
inline std::vector<ClipView> find_views(const std::vector<std::span<const float>>& clips) {
  std::vector<ClipView> views(clips.size());
  int last_root = -1;
  for (std::size_t c = 0; c < clips.size(); ++c) {
    int found = (last_root >= 0 && lies_within(clips[c], clips[last_root])) ? last_root : -1;
    for (int p = 0; found < 0 && p < static_cast<int>(c); ++p)
      if (views[p].parent < 0 && lies_within(clips[c], clips[p])) found = p;
    if (found >= 0) views[c] = {found, static_cast<long>(clips[c].data() - clips[found].data())};
    else last_root = static_cast<int>(c);
  }
  return views;
}

// [begin, end) ranges of about `batch` clips covering all clips in order; a range grows past
// `batch` to keep the views that follow their parent in the parent's range.
inline std::vector<std::pair<std::size_t, std::size_t>> cut_batches(
    const std::vector<std::span<const float>>& clips, std::size_t batch) {
  if (batch == 0) batch = 1;
  const auto views = find_views(clips);
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (std::size_t start = 0, end = 0; start < clips.size(); start = end) {
    end = std::min(clips.size(), start + batch);
    while (end < clips.size() && views[end].parent >= static_cast<long>(start)) ++end;
    ranges.emplace_back(start, end);
  }
  return ranges;
}

}  // namespace gtzan::backend
