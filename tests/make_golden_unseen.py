#!/usr/bin/env python3
"""Golden rows for clips the fixtures never saw: librosa computes the 309 `seed309` columns
(the same recipe as the fixture rows, tests/make_golden_librosa.py) for every WAV in
tests/golden/unseen/, padded/trimmed to 661500 samples like the study's 30-s rows
(tests/golden/unseen_seed309_track.csv) and as loaded (tests/golden/unseen_seed309_unpadded.csv).

The WAVs are 5-s excerpts of the built-in synthetic dataset (one per genre, seed 2026):
    ./build/gtzan synth --out /tmp/unseen --tracks-per-genre 1 --seconds 5 --seed 2026
copied to tests/golden/unseen/. Run in the pinned environment:  python3 tests/make_goldens.py
Its output is committed, and the test suite never needs Python.
"""
import glob
import os
import sys
import warnings

import librosa

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_golden_librosa import seed309_row, write_rows  # noqa: E402  (one recipe, one format)


def main():
    files = sorted(glob.glob(os.path.join(HERE, "golden", "unseen", "*.wav")))
    for variant in ("track", "unpadded"):
        rows = []
        for path in files:
            y, sr = librosa.load(path, sr=22050)
            if variant == "track":
                y = librosa.util.fix_length(y, size=661500)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                rows.append((os.path.basename(path), "", seed309_row(y, sr)))
        out = os.path.join(HERE, "golden", f"unseen_seed309_{variant}.csv")
        write_rows(out, rows)
        print(f"wrote {out} ({len(files)} rows, librosa {librosa.__version__})")


if __name__ == "__main__":
    main()
