#pragma once
// librosa 0.10 defaults used by every feature (and by the study).
namespace gtzan::features {
inline constexpr int kSr = 22050;
inline constexpr int kNfft = 2048;
inline constexpr int kHop = 512;
inline constexpr int kNbins = kNfft / 2 + 1;  // 1025
}  // namespace gtzan::features
