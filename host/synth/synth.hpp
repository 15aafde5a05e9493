#pragma once
// The built-in synthetic GTZAN: ten genres of deterministic, genre-typical audio
// (tempo ranges, drum patterns, harmonic vs noisy timbres, chord changes; disco and pop
// share material) so classifiers can learn it and still confuse neighbours.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace gtzan::synth {

// One track: `seconds` of mono float32 at 22050 Hz, deterministic for (genre, index, seed).
std::vector<float> synth_track(int genre_index, int track_index, double seconds, uint64_t seed);

// Writes DIR/genres_original/<genre>/<genre>.000NN.wav for the ten genres (16-bit mono WAV,
// 22050 Hz, atomically). Returns the number of files written.
int write_dataset(const std::filesystem::path& out_dir, int tracks_per_genre, double seconds,
                  uint64_t seed);

}  // namespace gtzan::synth
