#!/usr/bin/env python3
"""Times librosa computing the `core` and `seed309` columns the way the study did (one call per feature,
each recomputing its STFT), on WAV files given on the command line. Prints JSON.
A benchmark reference only: the engine never imports Python."""
import json, sys, time

import numpy as np
import librosa

def core_row(y, sr=22050):
    out = []
    def mv(a): out.extend([float(np.mean(a)), float(np.var(a))])
    chroma = librosa.feature.chroma_stft(y=y, sr=sr)
    for r in chroma: mv(r)
    mv(librosa.feature.spectral_centroid(y=y, sr=sr))
    mv(librosa.feature.spectral_bandwidth(y=y, sr=sr))
    mv(librosa.feature.spectral_rolloff(y=y, sr=sr))
    mv(librosa.feature.zero_crossing_rate(y))
    yh, yp = librosa.effects.hpss(y)
    mv(librosa.feature.chroma_stft(y=yh, sr=sr))
    mv(librosa.feature.chroma_stft(y=yp, sr=sr))
    m = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13)
    d1, d2 = librosa.feature.delta(m), librosa.feature.delta(m, order=2)
    for i in range(13): mv(m[i]); mv(d1[i]); mv(d2[i])
    for r in librosa.feature.spectral_contrast(y=y, sr=sr): mv(r)
    for r in librosa.feature.melspectrogram(y=y, sr=sr, n_mels=64): mv(r)
    mv(librosa.feature.spectral_flatness(y=y))
    mv(librosa.feature.poly_features(y=y, sr=sr))
    return out

def seed309_row(y, sr=22050):
    """All 309 columns (the fixtures' recipe), in the study's column order."""
    core = core_row(y, sr)
    out = core[:36 + 78 + 14]  # chroma_stft .. spectral_contrast
    def mv(a): out.extend([float(np.mean(a)), float(np.var(a))])
    for r in librosa.feature.tonnetz(y=y, sr=sr): mv(r)
    for r in librosa.feature.chroma_cqt(y=y, sr=sr): mv(r)
    mv(librosa.feature.chroma_cens(y=y, sr=sr))
    mv(librosa.feature.chroma_vqt(y=y, sr=sr, intervals="equal"))
    out.extend(core[36 + 78 + 14:])  # mel_spec, spectral_flatness, poly_features
    out.append(float(np.asarray(librosa.beat.beat_track(y=y, sr=sr)[0]).reshape(-1)[0]))
    tg = librosa.feature.tempogram(y=y, sr=sr)
    mv(tg)
    mv(np.abs(librosa.feature.fourier_tempogram(y=y, sr=sr)))
    mv(tg)  # tempogram_ratio: the study's duplicate
    mv(librosa.feature.stack_memory(y))
    return out

def stage_b(y, sr=22050):
    # power spectrogram + mel + MFCC + chroma_stft from one shared STFT (the fixtures' stage b)
    S = np.abs(librosa.stft(y)) ** 2
    mel = librosa.feature.melspectrogram(S=S, sr=sr)
    librosa.feature.mfcc(S=librosa.power_to_db(mel), n_mfcc=13)
    librosa.feature.chroma_stft(S=S, sr=sr)

def main():
    files = sys.argv[1:]
    ys = [librosa.load(f, sr=22050)[0] for f in files]
    seed309_row(ys[0]); stage_b(ys[0])  # warm-up (numba JIT, caches)
    t0 = time.perf_counter(); [core_row(y) for y in ys]; t_core = time.perf_counter() - t0
    t0 = time.perf_counter(); [seed309_row(y) for y in ys]; t_seed = time.perf_counter() - t0
    t0 = time.perf_counter(); [stage_b(y) for y in ys]; t_b = time.perf_counter() - t0
    print(json.dumps({"librosa": librosa.__version__, "numpy": np.__version__, "clips": len(ys),
                      "core_seconds_per_clip": t_core / len(ys),
                      "seed309_seconds_per_clip": t_seed / len(ys),
                      "stft_mel_mfcc_chroma_seconds_per_clip": t_b / len(ys)}, indent=2))

if __name__ == "__main__":
    main()
