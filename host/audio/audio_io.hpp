#pragma once
// Audio in and out. Loading matches librosa.load(path, sr=22050, mono=True):
// libsndfile decodes to float, channels are averaged, libsoxr (HQ) resamples.
#include <cstddef>
#include <filesystem>
#include <span>
#include <vector>

namespace gtzan::audio {

inline constexpr int kSampleRate = 22050;
inline constexpr std::size_t kTrackSamples = 661500;  // 30 s at 22050 Hz

// Decodes `path` to mono float32 at `target_sr`. Throws gtzan::InputError naming the file
// and the reason: missing, unreadable, empty, not audio, truncated, NaN/Inf samples.
std::vector<float> load_mono(const std::filesystem::path& path, int target_sr = kSampleRate);

// Resamples like librosa.resample(res_type="soxr_hq"): libsoxr HQ, output length
// ceil(n * out / in) (libsoxr's round() result zero-padded); scale=true divides by
// float32(sqrt(out / in)) as librosa.resample(scale=True) does on float32 input (numpy<2).
std::vector<float> resample(std::span<const float> y, double in_sr, double out_sr,
                            bool scale = false);

// Writes 16-bit PCM mono WAV (round(x*32767), clipped), atomically.
void write_wav16(const std::filesystem::path& path, std::span<const float> y, int sr);

// librosa.util.fix_length: zero-pad at the end or trim to exactly n samples.
std::vector<float> fix_length(std::span<const float> y, std::size_t n);

// numpy.array_split(y, n): n pieces, the first (len % n) one sample longer.
std::vector<std::vector<float>> array_split(std::span<const float> y, std::size_t n);

// Consecutive pieces of exactly `length` samples; a shorter tail is dropped.
std::vector<std::vector<float>> fixed_segments(std::span<const float> y, std::size_t length);

// The same pieces as views into y (no copies): a track and its segments can then go to a
// feature backend together, and the CUDA backend uploads the track's samples once.
std::vector<std::span<const float>> array_split_views(std::span<const float> y, std::size_t n);
std::vector<std::span<const float>> fixed_segment_views(std::span<const float> y, std::size_t length);

}  // namespace gtzan::audio
