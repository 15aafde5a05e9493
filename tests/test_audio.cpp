// Audio loading (librosa.load semantics and the errors a batch job reports), length helpers,
// and dataset scanning.
#include <catch2/catch.hpp>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "temp_dir.hpp"
#include "audio/audio_io.hpp"
#include "audio/dataset.hpp"
#include "core/error.hpp"
#include "fixtures.hpp"

using namespace gtzan;
namespace fs = std::filesystem;

namespace {

constexpr double kPi = 3.14159265358979323846;

using test::TempDir;

// Writes interleaved float frames with libsndfile in `format` (e.g. SF_FORMAT_WAV|SF_FORMAT_FLOAT).
void write_sf(const fs::path& p, const std::vector<float>& interleaved, int channels, int sr,
              int format) {
  SF_INFO info{};
  info.samplerate = sr;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(p.c_str(), SFM_WRITE, &info);
  REQUIRE(f != nullptr);
  if (!interleaved.empty()) {
    const sf_count_t frames = static_cast<sf_count_t>(interleaved.size() / channels);
    REQUIRE(sf_writef_float(f, interleaved.data(), frames) == frames);
  }
  sf_close(f);
}

void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A canonical 44-byte-header PCM WAV around raw sample bytes.
std::string pcm_wav(const std::string& data, int channels, int sr, int bits) {
  std::string out;
  auto put = [&](uint32_t v, int n) {
    for (int i = 0; i < n; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  const uint32_t block = static_cast<uint32_t>(channels * bits / 8);
  out += "RIFF";
  put(36 + static_cast<uint32_t>(data.size()), 4);
  out += "WAVEfmt ";
  put(16, 4);
  put(1, 2);
  put(static_cast<uint32_t>(channels), 2);
  put(static_cast<uint32_t>(sr), 4);
  put(static_cast<uint32_t>(sr) * block, 4);
  put(block, 2);
  put(static_cast<uint32_t>(bits), 2);
  out += "data";
  put(static_cast<uint32_t>(data.size()), 4);
  return out + data;
}

// load_mono(p) must throw InputError naming `p` whose reason contains `reason`.
void require_input_error(const fs::path& p, const std::string& reason) {
  INFO("file " << p << ", expected reason containing '" << reason << "'");
  try {
    (void)audio::load_mono(p);
    FAIL("load_mono did not throw");
  } catch (const InputError& e) {
    INFO("what(): " << e.what());
    CHECK(e.path() == p);
    CHECK(std::string(e.what()).find(p.string()) != std::string::npos);
    CHECK(e.reason().find(reason) != std::string::npos);
    CHECK(std::string(e.what()).find(reason) != std::string::npos);
  }
}

std::vector<float> sine(std::size_t n, double freq, double sr, double amp) {
  std::vector<float> y(n);
  for (std::size_t i = 0; i < n; ++i)
    y[i] = static_cast<float>(amp * std::sin(2 * kPi * freq * static_cast<double>(i) / sr));
  return y;
}

}  // namespace

// ------------------------------------------------------------------ load_mono: bad input
TEST_CASE("load_mono rejects bad files with InputError naming the file and the reason",
          "[audio][errors]") {
  TempDir tmp;

  SECTION("missing path") { require_input_error(tmp / "does_not_exist.wav", "no such file"); }

  SECTION("a directory") {
    fs::create_directories(tmp / "dir.wav");
    require_input_error(tmp / "dir.wav", "is a directory");
  }

  SECTION("empty file (0 bytes)") {
    write_bytes(tmp / "empty.wav", "");
    require_input_error(tmp / "empty.wav", "empty file");
  }

  SECTION("WAV with a truncated header (first 20 bytes of a valid WAV)") {
    write_sf(tmp / "full.wav", sine(1000, 440, 22050, 0.5), 1, 22050, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    const std::string full = read_bytes(tmp / "full.wav");
    REQUIRE(full.size() > 44);
    write_bytes(tmp / "trunc.wav", full.substr(0, 20));
    require_input_error(tmp / "trunc.wav", "truncated WAV: the file has 20 bytes");
  }

  SECTION("WAV header without the data chunk (first 40 bytes)") {
    write_sf(tmp / "full.wav", sine(1000, 440, 22050, 0.5), 1, 22050, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    write_bytes(tmp / "nodata.wav", read_bytes(tmp / "full.wav").substr(0, 40));
    require_input_error(tmp / "nodata.wav", "truncated WAV: the file has 40 bytes, its header declares 2044");
  }

  SECTION("a text file named .wav") {
    write_bytes(tmp / "notes.wav", "this is not audio, just some text\nsecond line\n");
    require_input_error(tmp / "notes.wav", "not an audio file: format not recognised");
  }

  SECTION("unreadable permissions (chmod 000)") {
    const fs::path p = tmp / "locked.wav";
    write_sf(p, sine(1000, 440, 22050, 0.5), 1, 22050, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    REQUIRE(::chmod(p.c_str(), 0) == 0);
    std::ifstream probe(p, std::ios::binary);
    if (probe.is_open()) {
      // root (CAP_DAC_OVERRIDE) reads through file permissions: nothing to test here.
      WARN("SKIPPED 'unreadable permissions': the file is still readable after chmod 000 "
           "(running as root, euid "
           << ::geteuid() << "); this check runs only as an unprivileged user");
    } else {
      require_input_error(p, "cannot open");
    }
    ::chmod(p.c_str(), 0644);
  }

  SECTION("NaN and Inf samples in a float WAV") {
    std::vector<float> y(100, 0.25f);
    y[37] = std::numeric_limits<float>::quiet_NaN();
    write_sf(tmp / "nan.wav", y, 1, 22050, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    require_input_error(tmp / "nan.wav", "non-finite sample (NaN or Inf) at index 37");

    y[37] = 0.0f;
    y[90] = -std::numeric_limits<float>::infinity();
    write_sf(tmp / "inf.wav", y, 1, 22050, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    require_input_error(tmp / "inf.wav", "non-finite sample (NaN or Inf) at index 90");
  }

  SECTION("zero samples (valid header, no data)") {
    write_sf(tmp / "zero.wav", {}, 1, 22050, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    REQUIRE(fs::file_size(tmp / "zero.wav") > 0);
    require_input_error(tmp / "zero.wav", "no audio samples");
  }
}

// ------------------------------------------------------------------ load_mono: good input
TEST_CASE("load_mono decodes, downmixes and resamples like librosa.load", "[audio]") {
  TempDir tmp;

  SECTION("stereo: the mean of the two channels, exactly") {
    std::vector<float> lr;
    for (int i = 0; i < 2000; ++i) {
      lr.push_back(static_cast<float>(0.6 * std::sin(i * 0.01)));
      lr.push_back(static_cast<float>(0.3 * std::cos(i * 0.037) - 0.1));
    }
    write_sf(tmp / "stereo.wav", lr, 2, 22050, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    const auto y = audio::load_mono(tmp / "stereo.wav");
    REQUIRE(y.size() == 2000);
    for (std::size_t i = 0; i < y.size(); ++i) REQUIRE(y[i] == (lr[2 * i] + lr[2 * i + 1]) / 2.0f);
  }

  SECTION("44.1 kHz is resampled to 22050 Hz: ceil(n/2) samples, the same sine") {
    for (std::size_t n : {44100u, 44101u}) {
      INFO("n = " << n);
      write_sf(tmp / "hi.wav", sine(n, 440.0, 44100.0, 0.5), 1, 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
      const auto y = audio::load_mono(tmp / "hi.wav");
      REQUIRE(y.size() == (n + 1) / 2);
      const auto ref = sine(y.size(), 440.0, 22050.0, 0.5);
      double max_err = 0;
      for (std::size_t i = 200; i + 200 < y.size(); ++i)  // away from the filter's edge effects
        max_err = std::max(max_err, std::abs(double(y[i]) - double(ref[i])));
      CHECK(max_err < 1e-3);
      // Frequency by zero crossings over the interior: 440 Hz within 1 Hz.
      int crossings = 0;
      for (std::size_t i = 201; i + 200 < y.size(); ++i) crossings += (y[i - 1] < 0) != (y[i] < 0);
      const double secs = double(y.size() - 400) / 22050.0;
      CHECK(std::abs(crossings / (2 * secs) - 440.0) < 1.0);
    }
  }

  SECTION("a short 44.1 kHz clip (3 samples) resamples to 2") {
    write_sf(tmp / "tiny44.wav", {0.1f, 0.2f, 0.3f}, 1, 44100, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    const auto y = audio::load_mono(tmp / "tiny44.wav");
    CHECK(y.size() == 2);
    for (float v : y) CHECK(std::isfinite(v));
  }

  SECTION("8-bit WAV: (u - 128) / 128, as libsndfile/soundfile scale it") {
    // Hand-made header so the bytes are exactly 0..255 (unsigned 8-bit PCM).
    std::string data;
    for (int u = 0; u < 256; ++u) data.push_back(static_cast<char>(u));
    write_bytes(tmp / "u8.wav", pcm_wav(data, 1, 22050, 8));
    const auto y = audio::load_mono(tmp / "u8.wav");
    REQUIRE(y.size() == 256);
    for (int u = 0; u < 256; ++u) REQUIRE(y[static_cast<std::size_t>(u)] == static_cast<float>(u - 128) / 128.0f);
  }

  SECTION("float WAV: values unchanged, no clipping of |x| > 1") {
    const std::vector<float> yf = {0.0f, 0.123456789f, -0.987654321f, 1.5f, -2.25f, 1e-30f};
    write_sf(tmp / "f32.wav", yf, 1, 22050, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    const auto y = audio::load_mono(tmp / "f32.wav");
    REQUIRE(y.size() == yf.size());
    for (std::size_t i = 0; i < y.size(); ++i) CHECK(y[i] == yf[i]);
  }

  SECTION("a clip shorter than one frame (100 samples) and a 1-sample clip load") {
    write_sf(tmp / "short.wav", sine(100, 440, 22050, 0.5), 1, 22050, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    CHECK(audio::load_mono(tmp / "short.wav").size() == 100);
    write_sf(tmp / "one.wav", {0.5f}, 1, 22050, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    const auto y = audio::load_mono(tmp / "one.wav");
    REQUIRE(y.size() == 1);
    CHECK(y[0] == 0.5f);  // 16384 / 32768
  }

  SECTION("a WAV whose data is cut short loads the samples that are there") {
    write_sf(tmp / "full.wav", sine(1000, 440, 22050, 0.5), 1, 22050, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    const std::string full = read_bytes(tmp / "full.wav");
    write_bytes(tmp / "cut.wav", full.substr(0, full.size() - 600));  // 300 samples missing
    const auto y = audio::load_mono(tmp / "cut.wav");
    CHECK(y.size() == 700);
  }

  SECTION("fixture clip sweep.wav equals int16 / 32768 exactly") {
    const fs::path p = test::clip_wav("sweep");
    const std::string bytes = read_bytes(p);
    // Walk the RIFF chunks to the "data" chunk and take the raw little-endian int16 samples.
    REQUIRE(bytes.substr(0, 4) == "RIFF");
    std::size_t pos = 12;
    std::vector<int16_t> pcm;
    while (pos + 8 <= bytes.size()) {
      uint32_t size;
      std::memcpy(&size, bytes.data() + pos + 4, 4);
      if (bytes.compare(pos, 4, "data") == 0) {
        pcm.resize(size / 2);
        std::memcpy(pcm.data(), bytes.data() + pos + 8, pcm.size() * 2);
        break;
      }
      pos += 8 + size + (size & 1);
    }
    REQUIRE(pcm.size() == 66150);
    const auto y = audio::load_mono(p);
    REQUIRE(y.size() == pcm.size());
    for (std::size_t i = 0; i < y.size(); ++i) REQUIRE(y[i] == static_cast<float>(pcm[i]) / 32768.0f);
  }

  SECTION("write_wav16 round trip: round(x * 32767) / 32768, clipped") {
    const std::vector<float> x = {0.0f, 0.5f, -0.5f, 1.0f, -1.0f, 2.0f, -2.0f};
    audio::write_wav16(tmp / "w16.wav", x, 22050);
    const auto y = audio::load_mono(tmp / "w16.wav");
    REQUIRE(y.size() == x.size());
    const float expect[] = {0.0f, 16384 / 32768.0f, -16384 / 32768.0f, 32767 / 32768.0f,
                            -32767 / 32768.0f, 32767 / 32768.0f, -32768 / 32768.0f};
    for (std::size_t i = 0; i < y.size(); ++i) CHECK(y[i] == expect[i]);
  }
}

// ------------------------------------------------------------------ length helpers
TEST_CASE("fix_length pads with zeros or trims", "[audio]") {
  const std::vector<float> y = {1, 2, 3, 4, 5};
  CHECK(audio::fix_length(y, 3) == std::vector<float>{1, 2, 3});
  CHECK(audio::fix_length(y, 7) == std::vector<float>{1, 2, 3, 4, 5, 0, 0});
  CHECK(audio::fix_length(y, 5) == y);
  CHECK(audio::fix_length({}, 2) == std::vector<float>{0, 0});
  CHECK(audio::fix_length(y, 0).empty());
}

TEST_CASE("array_split follows numpy.array_split", "[audio]") {
  SECTION("661500 samples into 10 segments of 66150") {
    std::vector<float> y(audio::kTrackSamples);
    for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<float>(i);
    const auto parts = audio::array_split(y, 10);
    REQUIRE(parts.size() == 10);
    for (std::size_t k = 0; k < parts.size(); ++k) {
      REQUIRE(parts[k].size() == 66150);
      CHECK(parts[k].front() == static_cast<float>(k * 66150));
    }
  }
  SECTION("10 into 3 gives 4, 3, 3, contiguous") {
    std::vector<float> y = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    const auto parts = audio::array_split(y, 3);
    REQUIRE(parts.size() == 3);
    CHECK(parts[0] == std::vector<float>{0, 1, 2, 3});
    CHECK(parts[1] == std::vector<float>{4, 5, 6});
    CHECK(parts[2] == std::vector<float>{7, 8, 9});
  }
  SECTION("more pieces than samples: numpy gives empty tails") {
    const auto parts = audio::array_split(std::vector<float>{1, 2}, 3);
    REQUIRE(parts.size() == 3);
    CHECK(parts[0].size() == 1);
    CHECK(parts[1].size() == 1);
    CHECK(parts[2].empty());
  }
}

TEST_CASE("fixed_segments keeps whole pieces and drops a short tail", "[audio]") {
  std::vector<float> y = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const auto parts = audio::fixed_segments(y, 3);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0] == std::vector<float>{0, 1, 2});
  CHECK(parts[2] == std::vector<float>{6, 7, 8});
  CHECK(audio::fixed_segments(y, 5).size() == 2);
  CHECK(audio::fixed_segments(y, 10).size() == 1);
  CHECK(audio::fixed_segments(y, 11).empty());
  CHECK(audio::fixed_segments(y, 0).empty());
  // 30 s at 3 s per segment: ten segments of 66150.
  std::vector<float> track(audio::kTrackSamples + 100, 0.0f);
  const auto segs = audio::fixed_segments(track, 66150);
  CHECK(segs.size() == 10);
}

// ------------------------------------------------------------------ scan_dataset
TEST_CASE("has_audio_extension", "[audio][dataset]") {
  for (const char* ok : {"a.wav", "b.WAV", "c.au", "d.flac", "e.ogg", "f.aiff", "g.AIF", "h.snd",
                         "dir/x.y.Wav"})
    CHECK(audio::has_audio_extension(ok));
  for (const char* no : {"a.mp3", "b.txt", "wav", "c.wav.bak", "d.", "features_30_sec.csv", ".wav"})
    CHECK_FALSE(audio::has_audio_extension(no));
}

TEST_CASE("scan_dataset finds GTZAN trees, flat folders and single files", "[audio][dataset]") {
  TempDir tmp;
  auto touch = [](const fs::path& p) {
    fs::create_directories(p.parent_path());
    write_bytes(p, "x");
  };

  SECTION("GTZAN tree under genres_original/, labels from folder names, sorted by path") {
    const fs::path root = tmp / "gtzan";
    touch(root / "genres_original" / "rock" / "rock.00001.wav");
    touch(root / "genres_original" / "rock" / "rock.00000.wav");
    touch(root / "genres_original" / "blues" / "blues.00000.WAV");
    touch(root / "genres_original" / "blues" / "notes.txt");
    touch(root / "genres_original" / "blues" / "._blues.00000.wav");  // macOS resource fork
    touch(root / "genres_original" / "custom" / "x.flac");            // any folder with audio
    touch(root / "features_30_sec.csv");
    fs::create_directories(root / "genres_original" / "empty");
    const auto e = audio::scan_dataset(root);
    REQUIRE(e.size() == 4);
    CHECK(e[0].path == root / "genres_original" / "blues" / "blues.00000.WAV");
    CHECK(e[0].label == "blues");
    CHECK(e[1].label == "custom");
    CHECK(e[2].path.filename() == "rock.00000.wav");
    CHECK(e[2].label == "rock");
    CHECK(e[3].path.filename() == "rock.00001.wav");
  }

  SECTION("genre folders directly under the input") {
    const fs::path root = tmp / "data";
    touch(root / "jazz" / "jazz.00000.wav");
    touch(root / "metal" / "metal.00000.au");
    const auto e = audio::scan_dataset(root);
    REQUIRE(e.size() == 2);
    CHECK(e[0].label == "jazz");
    CHECK(e[1].label == "metal");
  }

  SECTION("a flat folder of audio files: no labels") {
    const fs::path root = tmp / "flat";
    touch(root / "b.ogg");
    touch(root / "a.wav");
    touch(root / "readme.md");
    const auto e = audio::scan_dataset(root);
    REQUIRE(e.size() == 2);
    CHECK(e[0].path == root / "a.wav");
    CHECK(e[0].label.empty());
    CHECK(e[1].path == root / "b.ogg");
    CHECK(e[1].label.empty());
  }

  SECTION("a single file: labelled only when its folder is one of the ten genres") {
    touch(tmp / "pop" / "song.wav");
    touch(tmp / "misc" / "song.wav");
    auto e = audio::scan_dataset(tmp / "pop" / "song.wav");
    REQUIRE(e.size() == 1);
    CHECK(e[0].path == tmp / "pop" / "song.wav");
    CHECK(e[0].label == "pop");
    e = audio::scan_dataset(tmp / "misc" / "song.wav");
    REQUIRE(e.size() == 1);
    CHECK(e[0].label.empty());
  }

  SECTION("files are not decoded here: a broken .wav is still listed") {
    touch(tmp / "broken" / "bad.wav");  // 1 byte of text
    CHECK(audio::scan_dataset(tmp / "broken").size() == 1);
  }

  SECTION("missing path") {
    const fs::path p = tmp / "nowhere";
    try {
      (void)audio::scan_dataset(p);
      FAIL("no exception");
    } catch (const InputError& e) {
      CHECK(e.path() == p);
      CHECK(e.reason().find("no such file or folder") != std::string::npos);
    }
  }

  SECTION("folder without audio") {
    touch(tmp / "docs" / "a.txt");
    touch(tmp / "docs" / "sub" / "b.csv");
    try {
      (void)audio::scan_dataset(tmp / "docs");
      FAIL("no exception");
    } catch (const InputError& e) {
      CHECK(e.path() == tmp / "docs");
      CHECK(e.reason().find("no audio files") != std::string::npos);
    }
  }

  SECTION("a single non-audio file") {
    touch(tmp / "x.txt");
    CHECK_THROWS_AS(audio::scan_dataset(tmp / "x.txt"), InputError);
  }
}
