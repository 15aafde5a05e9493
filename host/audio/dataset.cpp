#include "audio/dataset.hpp"

#include <algorithm>
#include <cctype>
#include <system_error>

#include "core/error.hpp"

namespace gtzan::audio {
namespace fs = std::filesystem;
namespace {

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// Non-hidden entries directly inside `dir` (not recursive) that `keep` accepts; hidden ones
// (e.g. macOS "._x.wav") are skipped.
template <typename Keep>
std::vector<fs::path> entries_in(const fs::path& dir, Keep keep) {
  std::vector<fs::path> out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) throw InputError(dir, "cannot list folder: " + ec.message());
  for (const auto& e : it)
    if (!is_hidden(e.path()) && keep(e)) out.push_back(e.path());
  return out;
}

std::vector<fs::path> audio_files_in(const fs::path& dir) {
  return entries_in(dir, [](const fs::directory_entry& e) {
    std::error_code ec;
    return e.is_regular_file(ec) && has_audio_extension(e.path());
  });
}

std::vector<fs::path> subfolders_of(const fs::path& dir) {
  return entries_in(dir, [](const fs::directory_entry& e) {
    std::error_code ec;
    return e.is_directory(ec);
  });
}

}  // namespace

bool has_audio_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  if (ext.size() < 2) return false;
  ext = ext.substr(1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const char* const kExts[] = {"wav", "au", "flac", "ogg", "aiff", "aif", "snd"};
  return std::any_of(std::begin(kExts), std::end(kExts), [&](const char* e) { return ext == e; });
}

std::vector<DatasetEntry> scan_dataset(const fs::path& input) {
  std::error_code ec;
  const auto st = fs::status(input, ec);
  if (ec || !fs::exists(st)) throw InputError(input, "no such file or folder");

  std::vector<DatasetEntry> entries;
  if (!fs::is_directory(st)) {
    if (!fs::is_regular_file(st)) throw InputError(input, "not a regular file or folder");
    if (!has_audio_extension(input))
      throw InputError(input,
                       "not an audio file (expected .wav, .au, .flac, .ogg, .aiff, .aif or .snd)");
    std::string label;
    const std::string parent = input.parent_path().filename().string();
    const auto& genres = genre_names();
    if (std::find(genres.begin(), genres.end(), parent) != genres.end()) label = parent;
    entries.push_back({input, label});
    return entries;
  }

  // Kaggle's GTZAN layout nests the genre folders under genres_original/.
  fs::path root = input;
  if (fs::is_directory(input / "genres_original", ec)) root = input / "genres_original";

  // Genre folders: any subfolder holding audio files; label = the folder's name.
  for (const auto& sub : subfolders_of(root)) {
    const std::string label = sub.filename().string();
    for (auto& f : audio_files_in(sub)) entries.push_back({std::move(f), label});
  }
  // Audio files directly in the folder carry no label (a flat folder, or strays beside genres).
  for (auto& f : audio_files_in(root)) entries.push_back({std::move(f), std::string()});

  if (entries.empty())
    throw InputError(input,
                     "no audio files found (looked for *.wav/.au/.flac/.ogg/.aiff/.aif/.snd in "
                     "the folder and in its genre subfolders)");
  std::sort(entries.begin(), entries.end(),
            [](const DatasetEntry& a, const DatasetEntry& b) { return a.path < b.path; });
  return entries;
}

}  // namespace gtzan::audio
