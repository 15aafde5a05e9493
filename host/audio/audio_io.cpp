#include "audio/audio_io.hpp"

#include <sndfile.h>
#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace gtzan::audio {
namespace {

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};

// libsndfile's messages for a cut-off file are misleading ("Error in W64/RF64 file. Malformed
// 'fmt ' chunk."), so say what the file looks like: a known container that is truncated or
// corrupt, or no audio format at all.
std::string describe_open_failure(const std::filesystem::path& path, const std::string& sf_msg) {
  std::ifstream in(path, std::ios::binary);
  char head[12] = {};
  in.read(head, sizeof head);
  const std::size_t got = static_cast<std::size_t>(in.gcount());
  const std::uintmax_t size = std::filesystem::file_size(path);
  const std::string magic(head, std::min<std::size_t>(got, 4));
  const std::string lib = " (libsndfile: " + sf_msg + ")";
  if (magic == "RIFF" || magic == "RIFX" || magic == "RF64") {
    uint32_t declared = 0;
    if (got >= 8) std::memcpy(&declared, head + 4, 4);  // little-endian hosts
    if (size < 44 || (magic == "RIFF" && declared + 8ull > size))
      return "truncated WAV: the file has " + std::to_string(size) + " bytes" +
             (got >= 8 && magic == "RIFF"
                  ? ", its header declares " + std::to_string(declared + 8ull)
                  : std::string()) +
             lib;
    return "corrupt WAV header" + lib;
  }
  if (magic == "FORM" || magic == ".snd" || magic == "fLaC" || magic == "OggS")
    return (size < 64 ? "truncated " : "corrupt ") + magic + " file" + lib;
  return "not an audio file: format not recognised" + lib;
}

}  // namespace

std::vector<float> load_mono(const std::filesystem::path& path, int target_sr) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(path, "no such file");
  if (fs::is_directory(path, ec)) throw InputError(path, "is a directory, not an audio file");
  if (fs::file_size(path, ec) == 0) throw InputError(path, "empty file (0 bytes)");
  {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) throw InputError(path, "cannot open (permission denied?)");
  }
  SF_INFO info;
  std::memset(&info, 0, sizeof info);
  std::unique_ptr<SNDFILE, SndfileCloser> file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file) throw InputError(path, describe_open_failure(path, sf_strerror(nullptr)));
  if (info.channels < 1 || info.samplerate <= 0)
    throw InputError(path, "invalid header (channels or sample rate)");
  if (info.frames <= 0) throw InputError(path, "no audio samples");

  // libsndfile scales integer PCM to [-1, 1) by 1/32768 for 16-bit, like soundfile in librosa.
  std::vector<float> interleaved(static_cast<std::size_t>(info.frames) * info.channels);
  const sf_count_t got = sf_readf_float(file.get(), interleaved.data(), info.frames);
  if (got <= 0) throw InputError(path, "truncated: no samples could be read");
  if (got < info.frames) {
    // A header that promises more than the file holds: keep what is there, like soundfile,
    // but an empty remainder means a broken file.
    interleaved.resize(static_cast<std::size_t>(got) * info.channels);
  }
  const std::size_t n = static_cast<std::size_t>(got);
  std::vector<float> mono(n);
  if (info.channels == 1) {
    mono.assign(interleaved.begin(), interleaved.end());
  } else {
    // librosa.to_mono: np.mean over channels (float32 accumulation order: pairwise in numpy;
    // for 2 channels it is exact (a+b)/2).
    for (std::size_t i = 0; i < n; ++i) {
      float acc = 0.0f;
      for (int c = 0; c < info.channels; ++c) acc += interleaved[i * info.channels + c];
      mono[i] = acc / static_cast<float>(info.channels);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(mono[i]))
      throw InputError(path, "non-finite sample (NaN or Inf) at index " + std::to_string(i));
  }
  if (info.samplerate != target_sr) mono = resample(mono, info.samplerate, target_sr);
  return mono;
}

std::vector<float> resample(std::span<const float> y, double in_sr, double out_sr, bool scale) {
  if (in_sr == out_sr) return std::vector<float>(y.begin(), y.end());
  const double ratio = out_sr / in_sr;
  const std::size_t n_out = static_cast<std::size_t>(std::ceil(y.size() * ratio));
  std::vector<float> out(n_out + 1, 0.0f);
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
  std::size_t done = 0;
  soxr_error_t err = soxr_oneshot(in_sr, out_sr, 1, y.data(), y.size(), nullptr, out.data(),
                                  out.size(), &done, &io, &q, nullptr);
  if (err) throw std::runtime_error(std::string("libsoxr: ") + err);
  // libsoxr yields round(n * ratio) samples; librosa zero-pads to ceil(n * ratio).
  out.resize(n_out);
  for (std::size_t i = done; i < n_out; ++i) out[i] = 0.0f;
  if (scale) {
    // librosa: y_hat /= np.sqrt(ratio) on a float32 array; numpy<2 (the goldens) casts the
    // float64 scalar to float32 and divides in float32, which multiplying by 1/sqrt does not
    // reproduce bit for bit.
    const float s = static_cast<float>(std::sqrt(ratio));
    for (float& v : out) v /= s;
  }
  return out;
}

void write_wav16(const std::filesystem::path& path, std::span<const float> y, int sr) {
  std::vector<int16_t> pcm(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double v = std::round(static_cast<double>(y[i]) * 32767.0);
    pcm[i] = static_cast<int16_t>(std::clamp(v, -32768.0, 32767.0));
  }
  write_file_atomically(
      path,
      [&](std::ostream& out) {
        auto put32 = [&](uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
        auto put16 = [&](uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
        const uint32_t data_bytes = static_cast<uint32_t>(pcm.size() * 2);
        out.write("RIFF", 4);
        put32(36 + data_bytes);
        out.write("WAVEfmt ", 8);
        put32(16);
        put16(1);  // PCM
        put16(1);  // mono
        put32(static_cast<uint32_t>(sr));
        put32(static_cast<uint32_t>(sr) * 2);
        put16(2);
        put16(16);
        out.write("data", 4);
        put32(data_bytes);
        out.write(reinterpret_cast<const char*>(pcm.data()), data_bytes);
      },
      true);
}

std::vector<float> fix_length(std::span<const float> y, std::size_t n) {
  std::vector<float> out(n, 0.0f);
  std::copy_n(y.begin(), std::min(n, y.size()), out.begin());
  return out;
}

std::vector<std::span<const float>> array_split_views(std::span<const float> y, std::size_t n) {
  std::vector<std::span<const float>> parts;
  const std::size_t base = n ? y.size() / n : 0, extra = n ? y.size() % n : 0;
  std::size_t pos = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t len = base + (i < extra ? 1 : 0);
    parts.push_back(y.subspan(pos, len));
    pos += len;
  }
  return parts;
}

std::vector<std::span<const float>> fixed_segment_views(std::span<const float> y, std::size_t length) {
  std::vector<std::span<const float>> parts;
  for (std::size_t pos = 0; length > 0 && pos + length <= y.size(); pos += length)
    parts.push_back(y.subspan(pos, length));
  return parts;
}

namespace {
std::vector<std::vector<float>> copies(const std::vector<std::span<const float>>& views) {
  std::vector<std::vector<float>> parts;
  for (const auto& v : views) parts.emplace_back(v.begin(), v.end());
  return parts;
}
}  // namespace

std::vector<std::vector<float>> array_split(std::span<const float> y, std::size_t n) {
  return copies(array_split_views(y, n));
}

std::vector<std::vector<float>> fixed_segments(std::span<const float> y, std::size_t length) {
  return copies(fixed_segment_views(y, length));
}

}  // namespace gtzan::audio
