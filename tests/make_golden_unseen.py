#!/usr/bin/env python3
"""Golden rows for clips the fixtures never saw: librosa computes the 309 `seed309` columns
(the study's calls, librosa 0.10 defaults, numpy < 2 as the fixtures) for every WAV in tests/golden/unseen/, padded/trimmed to
661500 samples like the study's 30-s rows (tests/golden/unseen_seed309_track.csv) and as loaded
(tests/golden/unseen_seed309_unpadded.csv).

The WAVs are 5-s excerpts of the built-in synthetic dataset (one per genre, seed 2026):
    ./build/gtzan synth --out /tmp/unseen --tracks-per-genre 1 --seconds 5 --seed 2026
copied to tests/golden/unseen/. Run this script where librosa 0.10 is importable; its output
is committed, and the test suite never needs Python.
"""
import csv, glob, os, sys

import numpy as np
import librosa

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "bench"))
from librosa_core import core_row, seed309_row  # noqa: E402  (the study's calls, in its order)

def core_columns():
    cols = [f"chroma_stft_{s}_{i}" for i in range(12) for s in ("mean", "var")]
    for n in ("centroid", "bandwidth", "rolloff", "zcr", "harmony", "percussive"):
        cols += [f"{n}_mean", f"{n}_var"]
    for i in range(13):
        for p in ("mfcc", "delta_mfcc", "delta2_mfcc"):
            cols += [f"{p}_{i}_mean", f"{p}_{i}_var"]
    cols += [f"spectral_contrast_{s}_{i}" for i in range(7) for s in ("mean", "var")]
    cols += [f"mel_spec_{s}_{i}" for i in range(64) for s in ("mean", "var")]
    cols += ["spectral_flatness_mean", "spectral_flatness_var", "poly_features_mean", "poly_features_var"]
    return cols

def seed309_columns():
    cols = core_columns()
    head = cols[:36 + 78 + 14]
    tail = cols[36 + 78 + 14:]
    extra = [f"tonnetz_{s}_{i}" for i in range(6) for s in ("mean", "var")]
    extra += [f"chroma_cqt_{s}_{i}" for i in range(12) for s in ("mean", "var")]
    extra += ["chroma_cens_mean", "chroma_cens_var", "chroma_vqt_mean", "chroma_vqt_var"]
    rhythm = ["tempo", "tempogram_mean", "tempogram_var", "fourier_tempogram_mean",
              "fourier_tempogram_var", "tempogram_ratio_mean", "tempogram_ratio_var",
              "stack_memory_mean", "stack_memory_var"]
    return head + extra + tail + rhythm

def main():
    files = sorted(glob.glob(os.path.join(HERE, "golden", "unseen", "*.wav")))
    for variant in ("track", "unpadded"):
        out = os.path.join(HERE, "golden", f"unseen_seed309_{variant}.csv")
        with open(out, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["filename", "label", "segment"] + seed309_columns())
            for path in files:
                y, sr = librosa.load(path, sr=22050)
                if variant == "track":
                    y = librosa.util.fix_length(y, size=661500)
                w.writerow([os.path.basename(path), "", ""] + [repr(float(v)) for v in seed309_row(y, sr)])
        print(f"wrote {out} ({len(files)} rows, librosa {librosa.__version__}, numpy {np.__version__})")

if __name__ == "__main__":
    main()
