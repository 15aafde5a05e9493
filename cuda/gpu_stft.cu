// Batched STFT power on the GPU: every clip's frames in one buffer, one cuFFT plan.
#include <cufft.h>

#include <algorithm>
#include <numeric>

#include "backend/gpu_ops.hpp"
#include "cuda_check.hpp"
#include "device_buffer.hpp"
#include "features/stft.hpp"
#include "frame_window.cuh"
#include "power_spectrum.cuh"

namespace gtzan::backend {

std::vector<Matrix> gpu_stft_power(const std::vector<std::span<const float>>& clips, int n_fft,
                                   int hop) {
  const std::size_t n_clips = clips.size();
  if (n_clips == 0) return {};
  std::vector<long> offsets(n_clips), lengths(n_clips), frame_offsets(n_clips), clip_frames(n_clips);
  long total_samples = 0, total_frames = 0;
  for (std::size_t c = 0; c < n_clips; ++c) {
    if (clips[c].empty()) throw std::invalid_argument("gpu_stft_power: empty clip");
    offsets[c] = total_samples;
    lengths[c] = static_cast<long>(clips[c].size());
    frame_offsets[c] = total_frames;
    clip_frames[c] = static_cast<long>(features::num_frames(clips[c].size(), n_fft, hop));
    total_samples += lengths[c];
    total_frames += clip_frames[c];
  }
  std::vector<float> signals(total_samples);
  std::vector<int> frame_clip(total_frames);
  for (std::size_t c = 0; c < n_clips; ++c) {
    std::copy(clips[c].begin(), clips[c].end(), signals.begin() + offsets[c]);
    std::fill_n(frame_clip.begin() + frame_offsets[c], clip_frames[c], static_cast<int>(c));
  }
  const int bins = n_fft / 2 + 1;

  cuda::DeviceBuffer<float> d_signals(signals.size());
  cuda::DeviceBuffer<long> d_offsets(n_clips), d_lengths(n_clips), d_frame_offsets(n_clips),
      d_clip_frames(n_clips);
  cuda::DeviceBuffer<int> d_frame_clip(frame_clip.size());
  d_signals.upload(signals.data(), signals.size());
  d_offsets.upload(offsets.data(), n_clips);
  d_lengths.upload(lengths.data(), n_clips);
  d_frame_offsets.upload(frame_offsets.data(), n_clips);
  d_clip_frames.upload(clip_frames.data(), n_clips);
  d_frame_clip.upload(frame_clip.data(), frame_clip.size());

  cuda::DeviceBuffer<float> d_frames(static_cast<std::size_t>(total_frames) * n_fft);
  kernels::launch_frame_window(d_signals.data(), d_offsets.data(), d_lengths.data(),
                               d_frame_offsets.data(), d_frame_clip.data(), total_frames, n_fft,
                               hop, d_frames.data(), nullptr);
  GTZAN_CUDA_CHECK(cudaGetLastError());

  cuda::DeviceBuffer<cufftComplex> d_spectra(static_cast<std::size_t>(total_frames) * bins);
  cufftHandle plan;
  int n[1] = {n_fft};
  GTZAN_CUFFT_CHECK(cufftPlanMany(&plan, 1, n, nullptr, 1, n_fft, nullptr, 1, bins, CUFFT_R2C,
                                  static_cast<int>(total_frames)));
  const cufftResult exec = cufftExecR2C(plan, d_frames.data(), d_spectra.data());
  cufftDestroy(plan);
  GTZAN_CUFFT_CHECK(exec);

  cuda::DeviceBuffer<float> d_power(static_cast<std::size_t>(total_frames) * bins);
  kernels::launch_power_spectrum(d_spectra.data(), total_frames, bins, d_frame_offsets.data(),
                                 d_frame_clip.data(), d_clip_frames.data(), d_power.data(), nullptr);
  GTZAN_CUDA_CHECK(cudaGetLastError());
  const std::vector<float> power = d_power.download();

  std::vector<Matrix> out(n_clips);
  for (std::size_t c = 0; c < n_clips; ++c) {
    out[c] = Matrix(bins, clip_frames[c]);
    std::copy_n(power.begin() + static_cast<long>(bins) * frame_offsets[c],
                static_cast<std::size_t>(bins) * clip_frames[c], out[c].data.begin());
  }
  return out;
}

}  // namespace gtzan::backend
