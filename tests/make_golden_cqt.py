#!/usr/bin/env python3
"""Golden magnitudes for the constant-Q code paths the librosa fixtures never exercise:
the ERB-gamma VQT (librosa.vqt's default gamma=None), early downsampling (sr=44100 makes
__early_downsample_count 1), an estimated tuning with n_bins not a multiple of
bins_per_octave and hop 256, and a hop (384) that stops halving after 7 octaves.
Input: the first 2 s (44100 samples) of tests/golden/librosa/wav/music_a.wav as
librosa.load(sr=22050) returns it. Output: raw little-endian float32 [rows, cols] in
tests/golden/cqt/NAME.f32 and shapes in tests/golden/cqt/shapes.txt.
Run in the pinned environment (tests/requirements-golden.txt, librosa 0.10.2.post1 on
numpy 1.24.2) through tests/make_goldens.py; it rebuilds the committed files bit for bit.
The test suite never needs Python.
"""
import os
import numpy as np
import librosa

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "golden", "cqt")
WAV = os.path.join(HERE, "golden", "librosa", "wav", "music_a.wav")

y, sr = librosa.load(os.environ.get("MUSIC_A_WAV", WAV), sr=22050)
y = y[:44100]
cases = {
    "vqt_erb": lambda: librosa.vqt(y, sr=sr),
    "cqt_sr44100": lambda: librosa.cqt(y, sr=44100),
    "cqt50_hop256_tuned": lambda: librosa.cqt(y, sr=sr, hop_length=256, n_bins=50,
                                              tuning=None, fmin=55.0),
    "cqt_hop384": lambda: librosa.cqt(y, sr=sr, hop_length=384),
}
os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "shapes.txt"), "w") as f:
    for name, fn in cases.items():
        M = np.abs(fn()).astype("<f4")
        M.tofile(os.path.join(OUT, name + ".f32"))
        f.write(f"{name} {M.shape[0]} {M.shape[1]}\n")
        print(name, M.shape)
