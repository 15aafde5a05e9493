#pragma once
// Finding audio files: a GTZAN tree (genres_original/<genre>/*.wav or <genre>/*.wav),
// a folder of audio files, or one file. Results are sorted by path (deterministic).
#include <filesystem>
#include <string>
#include <vector>

namespace gtzan::audio {

// The ten GTZAN genres in label order.
inline const std::vector<std::string>& genre_names() {
  static const std::vector<std::string> names = {"blues", "classical", "country", "disco",
                                                 "hiphop", "jazz", "metal", "pop",
                                                 "reggae", "rock"};
  return names;
}

struct DatasetEntry {
  std::filesystem::path path;
  std::string label;  // genre folder name, or empty when the file is not in a genre folder
};

// Throws gtzan::InputError when `input` does not exist or holds no audio files.
std::vector<DatasetEntry> scan_dataset(const std::filesystem::path& input);

// True for the extensions libsndfile reads: wav, au, flac, ogg, aiff/aif, snd.
bool has_audio_extension(const std::filesystem::path& p);

}  // namespace gtzan::audio
