// How the CUDA backend groups clips (host/backend/clip_batches.hpp), on the CPU: views into an
// earlier clip are found with their offsets, and batch boundaries keep them with their parent.
#include <catch2/catch.hpp>

#include "audio/audio_io.hpp"
#include "backend/clip_batches.hpp"

using namespace gtzan;

namespace {

// Tracks of 100 samples, each followed by `segments` array_split views into it.
struct Layout {
  std::vector<std::vector<float>> tracks;
  std::vector<std::span<const float>> clips;
};

Layout tracks_with_segments(int n_tracks, std::size_t segments) {
  Layout l;
  l.tracks.assign(static_cast<std::size_t>(n_tracks), std::vector<float>(100, 0.0f));
  for (const auto& t : l.tracks) {
    l.clips.emplace_back(t);
    for (const auto& s : audio::array_split_views(t, segments)) l.clips.push_back(s);
  }
  return l;
}

}  // namespace

TEST_CASE("views into an earlier clip are found with their offsets", "[batching]") {
  const auto l = tracks_with_segments(2, 3);  // 100 -> 34, 33, 33
  const auto v = backend::find_views(l.clips);
  REQUIRE(v.size() == 8);
  CHECK(v[0].parent == -1);
  CHECK((v[1].parent == 0 && v[1].offset == 0));
  CHECK((v[2].parent == 0 && v[2].offset == 34));
  CHECK((v[3].parent == 0 && v[3].offset == 67));
  CHECK(v[4].parent == -1);
  CHECK((v[7].parent == 4 && v[7].offset == 67));

  // Separate buffers are never views, even with equal contents; a view listed before its
  // parent is not one either (only earlier clips are parents).
  std::vector<float> a(10, 1.0f), b(10, 1.0f);
  const std::span<const float> whole(a), tail = std::span<const float>(a).subspan(4);
  CHECK(backend::find_views({whole, std::span<const float>(b)})[1].parent == -1);
  const auto reversed = backend::find_views({tail, whole});
  CHECK(reversed[0].parent == -1);
  CHECK(reversed[1].parent == -1);  // `whole` is not inside `tail`
  // A parent earlier than the most recent one is still found.
  const auto back = backend::find_views({whole, std::span<const float>(b), tail});
  CHECK((back[2].parent == 0 && back[2].offset == 4));
}

TEST_CASE("batches keep a track with its segments and cover every clip once", "[batching]") {
  const auto l = tracks_with_segments(5, 10);  // 55 clips in groups of 11
  for (std::size_t batch : {1ul, 4ul, 11ul, 12ul, 30ul, 1000ul}) {
    INFO("batch " << batch);
    const auto ranges = backend::cut_batches(l.clips, batch);
    std::size_t expect = 0;
    for (const auto& [begin, end] : ranges) {
      CHECK(begin == expect);  // contiguous, in order, no gap or overlap
      CHECK(end > begin);
      expect = end;
      // A range ends at a group boundary (a track starts next) unless the clips ran out, and
      // holds at least `batch` clips unless it is the last.
      CHECK((end == l.clips.size() || end % 11 == 0));
      if (end != l.clips.size()) CHECK(end - begin >= batch);
    }
    CHECK(expect == l.clips.size());
  }
  // Clips with no views are cut at exactly `batch`.
  std::vector<std::vector<float>> owned(7, std::vector<float>(5));
  const std::vector<std::span<const float>> plain(owned.begin(), owned.end());
  const auto ranges = backend::cut_batches(plain, 3);
  REQUIRE(ranges.size() == 3);
  CHECK(ranges[0] == std::make_pair(std::size_t{0}, std::size_t{3}));
  CHECK(ranges[2] == std::make_pair(std::size_t{6}, std::size_t{7}));
  CHECK(backend::cut_batches({}, 4).empty());
}
