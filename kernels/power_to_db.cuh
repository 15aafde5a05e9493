#pragma once
// librosa.power_to_db(S, ref=1.0, amin, top_db) of a batch, float32 as librosa on float32 S:
// db = 10 * log10(max(amin, S)), then per CLIP: db = max(db, max_of_clip(db) - top_db).
// CPU twin: features::power_to_db in host/features/mel.cpp (one clip = one matrix there).
#include <cuda_runtime.h>

namespace gtzan::kernels {

// out[i] = 10 * log10(max(amin, S[i])) for i < count (out may alias S).
void launch_power_to_db(const float* S, long count, float amin, float* out, cudaStream_t stream);

// data[r, col] = max(data[r, col], clip_max[owner[col]] - top_db), in place.
void launch_db_floor(float* data, int rows, long total_cols, const int* owner,
                     const float* clip_max, float top_db, cudaStream_t stream);

}  // namespace gtzan::kernels
