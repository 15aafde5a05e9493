#!/usr/bin/env python3
"""librosa's goldens for the fixture clips in tests/golden/librosa/wav: frame arrays
(tests/golden/librosa/bin/CLIP/NAME.f32|f64 + manifest.json) and 309-column rows
(seed309_track.csv, seed309_seg10.csv, seed309_unpadded.csv).

Run in the pinned environment (tests/requirements-golden.txt, made by
tests/golden_env.sh):   python3 tests/make_goldens.py   (or this script alone).
The C++ test suite only reads the committed outputs and never needs Python.

Every clip is loaded as the study loads audio, `librosa.load(path, sr=22050, mono=True)`
(float32), and each array is exactly what the call listed in CALLS returns for it.

Storage, to keep the repository lean:
- dtype: an array librosa returns in float32 is stored as float32 (lossless); float64
  results as float64, except `tempogram`, which is stored rounded to float32 (6e-8 of its
  peak; the tests allow 1e-5).
- columns: arrays of the 30-s clips keep three windows of 32 frames (the first, the middle
  and the last: the edges, where centring and padding act, and the steady state);
  waveforms (y_harmonic, y_percussive) keep three windows of 8192 samples. The 3-s clips'
  frame arrays are whole. manifest.json lists each array's full shape, the kept column
  ranges and the peak |value| of the WHOLE array, so the tests still measure errors as a
  fraction of the whole array's peak. `clicks`' y_percussive is whole: a test feeds it to
  our chroma as input.
"""
import hashlib
import json
import os
import sys
import warnings

import numpy as np
import librosa
import soundfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "golden", "librosa")

SR = 22050
FRAME_WINDOW = 32        # frames per window
WAVE_WINDOW = 8192       # samples per window
WINDOW_ABOVE = 256       # frame arrays with more columns than this are windowed
WHOLE = {("clicks", "y_percussive")}  # fed whole to our code by tests/test_hpss.cpp
NOT_FRAMES = {"tempo", "beat_frames"}  # not frame-indexed: always whole

CLIPS = [  # name, how the WAV was made (the WAVs are inputs, committed as they are)
    ("sweep", "3.0 s exponential sine sweep 60 Hz -> 8 kHz, amp 0.5, 10 ms raised-cosine fades"),
    ("chord", "3.0 s C-major triad (C4 E4 G4), 6 harmonics 1/k, RandomState(101) phases, 20 ms attack, exp decay tau 2 s, peak 0.6"),
    ("noise", "3.0 s Gaussian white noise RMS 0.1 (-20 dBFS), RandomState(102)"),
    ("clicks", "3.0 s click train 120 BPM starting at 0.1 s; clicks = 10 ms uniform-noise bursts, exp decay 2 ms, amp 0.8, RandomState(103)"),
    ("silence", "3.0 s digital silence (all-zero samples)"),
    ("short", "1.0 s 440 Hz + 1760 Hz tone + noise 0.01, RandomState(104) (shorter than one 3-s segment)"),
    ("music_a", "30.0 s (661500 samples) music-like: kick/snare/hat + bass + chords + noise, 100 BPM, key C, RandomState(201)"),
    ("music_b", "30.0 s (661500 samples) music-like: kick/snare/hat + bass + chords + noise, 128 BPM, key Eb, RandomState(202)"),
]

# name -> (call as text, storage dtype). Order = manifest order.
CALLS = [
    ("stft_power", "np.abs(librosa.stft(y, n_fft=2048, hop_length=512, center=True)) ** 2", "float32"),
    ("mel128", "librosa.feature.melspectrogram(y=y, sr=sr, n_fft=2048, hop_length=512, n_mels=128)", "float32"),
    ("mel64", "librosa.feature.melspectrogram(y=y, sr=sr, n_fft=2048, hop_length=512, n_mels=64)", "float32"),
    ("mfcc13", "librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13)", "float32"),
    ("mfcc20", "librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20)", "float32"),
    ("mfcc13_delta", "librosa.feature.delta(mfcc13)", "float32"),
    ("mfcc13_delta2", "librosa.feature.delta(mfcc13, order=2)", "float32"),
    ("chroma_stft", "librosa.feature.chroma_stft(y=y, sr=sr)", "float32"),
    ("spectral_centroid", "librosa.feature.spectral_centroid(y=y, sr=sr)", "float64"),
    ("spectral_bandwidth", "librosa.feature.spectral_bandwidth(y=y, sr=sr)", "float64"),
    ("spectral_rolloff", "librosa.feature.spectral_rolloff(y=y, sr=sr)", "float64"),
    ("zero_crossing_rate", "librosa.feature.zero_crossing_rate(y)", "float64"),
    ("spectral_contrast", "librosa.feature.spectral_contrast(y=y, sr=sr)", "float64"),
    ("spectral_flatness", "librosa.feature.spectral_flatness(y=y)", "float32"),
    ("poly_features", "librosa.feature.poly_features(y=y, sr=sr)", "float64"),
    ("tonnetz", "librosa.feature.tonnetz(y=y, sr=sr)", "float64"),
    ("chroma_cqt", "librosa.feature.chroma_cqt(y=y, sr=sr)", "float32"),
    ("chroma_cens", "librosa.feature.chroma_cens(y=y, sr=sr)", "float32"),
    ("rms", "librosa.feature.rms(y=y)", "float32"),
    ("onset_strength", "librosa.onset.onset_strength(y=y, sr=sr)", "float32"),
    ("tempo", "librosa.beat.beat_track(y=y, sr=sr)[0]  (a 1x1 array)", "float64"),
    ("beat_frames", "librosa.beat.beat_track(y=y, sr=sr)[1]  (frame indices as float64, 1xN)", "float64"),
    ("harmonic_chroma_stft", "librosa.feature.chroma_stft(y=librosa.effects.hpss(y)[0], sr=sr)", "float32"),
    ("percussive_chroma_stft", "librosa.feature.chroma_stft(y=librosa.effects.hpss(y)[1], sr=sr)", "float32"),
    ("cqt_mag", "np.abs(librosa.cqt(y=y, sr=sr))", "float32"),
    ("cqt36_mag", "np.abs(librosa.cqt(y=y, sr=sr, bins_per_octave=36, n_bins=252))", "float32"),
    ("chroma_vqt", "librosa.feature.chroma_vqt(y=y, sr=sr, intervals='equal')", "float32"),
    ("tempogram", "librosa.feature.tempogram(y=y, sr=sr)", "float32"),
    ("fourier_tempogram_mag", "np.abs(librosa.feature.fourier_tempogram(y=y, sr=sr))", "float32"),
    ("y_harmonic", "librosa.effects.hpss(y)[0]  (1xN)", "float32"),
    ("y_percussive", "librosa.effects.hpss(y)[1]  (1xN)", "float32"),
]


def compute(y, sr):
    """Every array of CALLS for one loaded clip, as 2-D numpy arrays, with librosa's warnings."""
    out, caught = {}, {}

    def run(name, fn):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            value = fn()
        if w:
            caught[name] = [str(x.message) for x in w]
        out[name] = np.atleast_2d(np.asarray(value))

    run("stft_power", lambda: np.abs(librosa.stft(y, n_fft=2048, hop_length=512, center=True)) ** 2)
    run("mel128", lambda: librosa.feature.melspectrogram(y=y, sr=sr, n_fft=2048, hop_length=512, n_mels=128))
    run("mel64", lambda: librosa.feature.melspectrogram(y=y, sr=sr, n_fft=2048, hop_length=512, n_mels=64))
    run("mfcc13", lambda: librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13))
    run("mfcc20", lambda: librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20))
    run("mfcc13_delta", lambda: librosa.feature.delta(out["mfcc13"]))
    run("mfcc13_delta2", lambda: librosa.feature.delta(out["mfcc13"], order=2))
    run("chroma_stft", lambda: librosa.feature.chroma_stft(y=y, sr=sr))
    run("spectral_centroid", lambda: librosa.feature.spectral_centroid(y=y, sr=sr))
    run("spectral_bandwidth", lambda: librosa.feature.spectral_bandwidth(y=y, sr=sr))
    run("spectral_rolloff", lambda: librosa.feature.spectral_rolloff(y=y, sr=sr))
    run("zero_crossing_rate", lambda: librosa.feature.zero_crossing_rate(y))
    run("spectral_contrast", lambda: librosa.feature.spectral_contrast(y=y, sr=sr))
    run("spectral_flatness", lambda: librosa.feature.spectral_flatness(y=y))
    run("poly_features", lambda: librosa.feature.poly_features(y=y, sr=sr))
    run("tonnetz", lambda: librosa.feature.tonnetz(y=y, sr=sr))
    run("chroma_cqt", lambda: librosa.feature.chroma_cqt(y=y, sr=sr))
    run("chroma_cens", lambda: librosa.feature.chroma_cens(y=y, sr=sr))
    run("rms", lambda: librosa.feature.rms(y=y))
    run("onset_strength", lambda: librosa.onset.onset_strength(y=y, sr=sr))
    tempo, beats = librosa.beat.beat_track(y=y, sr=sr)
    out["tempo"] = np.atleast_2d(np.asarray(tempo, dtype=np.float64).reshape(-1)[:1])
    out["beat_frames"] = np.asarray(beats, dtype=np.float64).reshape(1, -1)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        yh, yp = librosa.effects.hpss(y)
    run("harmonic_chroma_stft", lambda: librosa.feature.chroma_stft(y=yh, sr=sr))
    run("percussive_chroma_stft", lambda: librosa.feature.chroma_stft(y=yp, sr=sr))
    run("cqt_mag", lambda: np.abs(librosa.cqt(y=y, sr=sr)))
    run("cqt36_mag", lambda: np.abs(librosa.cqt(y=y, sr=sr, bins_per_octave=36, n_bins=252)))
    run("chroma_vqt", lambda: librosa.feature.chroma_vqt(y=y, sr=sr, intervals="equal"))
    run("tempogram", lambda: librosa.feature.tempogram(y=y, sr=sr))
    run("fourier_tempogram_mag", lambda: np.abs(librosa.feature.fourier_tempogram(y=y, sr=sr)))
    out["y_harmonic"] = yh.reshape(1, -1)
    out["y_percussive"] = yp.reshape(1, -1)
    return out, caught


def kept_ranges(clip, name, cols):
    """[begin, end) column ranges stored for one array (see the module docstring)."""
    if name in NOT_FRAMES or (clip, name) in WHOLE:
        return [[0, cols]]
    wave = name in ("y_harmonic", "y_percussive")
    w = WAVE_WINDOW if wave else FRAME_WINDOW
    if (wave and cols <= 3 * w) or (not wave and cols <= WINDOW_ABOVE):
        return [[0, cols]]
    mid = cols // 2 - w // 2
    return [[0, w], [mid, mid + w], [cols - w, cols]]


def write_arrays(clip, arrays):
    entries = []
    os.makedirs(os.path.join(OUT, "bin", clip), exist_ok=True)
    for name, call, dtype in CALLS:
        a = arrays[name]
        ranges = kept_ranges(clip, name, a.shape[1])
        kept = np.concatenate([a[:, b:e] for b, e in ranges], axis=1) if a.size else a
        ext = "f32" if dtype == "float32" else "f64"
        rel = f"bin/{clip}/{name}.{ext}"
        np.ascontiguousarray(kept, dtype=np.dtype(dtype).newbyteorder("<")).tofile(os.path.join(OUT, rel))
        peak = float(np.max(np.abs(a.astype(dtype).astype(np.float64)))) if a.size else 0.0
        entries.append({"name": name, "file": rel, "shape": list(a.shape), "dtype": dtype,
                        "librosa_dtype": str(a.dtype), "columns": ranges, "peak_abs": peak,
                        "call": call})
    return entries


def seed309_row(y, sr):
    """The 309 columns in the study's order (tests/golden/librosa/seed309_columns.txt).
    np.mean / np.var (population) of the arrays exactly as librosa returns them (float32 in,
    float32 pairwise accumulation): per row (axis=1) for the indexed blocks, over the whole
    matrix for the others. tempogram_ratio repeats tempogram, as the study does."""
    out = []

    def per_row(M):
        for m, v in zip(np.mean(M, axis=1), np.var(M, axis=1)):
            out.extend([m, v])

    def whole(M):
        out.extend([np.mean(M), np.var(M)])

    per_row(librosa.feature.chroma_stft(y=y, sr=sr))
    whole(librosa.feature.spectral_centroid(y=y, sr=sr))
    whole(librosa.feature.spectral_bandwidth(y=y, sr=sr))
    whole(librosa.feature.spectral_rolloff(y=y, sr=sr))
    whole(librosa.feature.zero_crossing_rate(y))
    yh, yp = librosa.effects.hpss(y)
    whole(librosa.feature.chroma_stft(y=yh, sr=sr))
    whole(librosa.feature.chroma_stft(y=yp, sr=sr))
    m = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13)
    stats = [(np.mean(a, axis=1), np.var(a, axis=1))
             for a in (m, librosa.feature.delta(m), librosa.feature.delta(m, order=2))]
    for i in range(13):  # interleaved: mfcc_i, delta_mfcc_i, delta2_mfcc_i
        for mean, var in stats:
            out.extend([mean[i], var[i]])
    per_row(librosa.feature.spectral_contrast(y=y, sr=sr))
    per_row(librosa.feature.tonnetz(y=y, sr=sr))
    per_row(librosa.feature.chroma_cqt(y=y, sr=sr))
    whole(librosa.feature.chroma_cens(y=y, sr=sr))
    whole(librosa.feature.chroma_vqt(y=y, sr=sr, intervals="equal"))
    per_row(librosa.feature.melspectrogram(y=y, sr=sr, n_mels=64))
    whole(librosa.feature.spectral_flatness(y=y))
    whole(librosa.feature.poly_features(y=y, sr=sr))
    out.append(float(np.asarray(librosa.beat.beat_track(y=y, sr=sr)[0]).reshape(-1)[0]))
    tempogram = librosa.feature.tempogram(y=y, sr=sr)
    whole(tempogram)
    whole(np.abs(librosa.feature.fourier_tempogram(y=y, sr=sr)))
    whole(tempogram)
    whole(librosa.feature.stack_memory(y))
    return out


def columns():
    with open(os.path.join(OUT, "seed309_columns.txt")) as f:
        return [line.strip() for line in f if line.strip()]


def write_rows(path, rows):
    """rows: (filename, segment, values); numbers as Python's repr (shortest round-trip)."""
    with open(path, "w", newline="") as f:
        f.write(",".join(["filename", "label", "segment"] + columns()) + "\n")
        for filename, segment, values in rows:
            assert len(values) == 309, len(values)
            f.write(",".join([filename, "", segment] + [repr(float(v)) for v in values]) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = {
        "generator": "tests/make_golden_librosa.py",
        "versions": {"librosa": librosa.__version__, "numpy": np.__version__,
                     "soundfile": soundfile.__version__, "python": sys.version.split()[0]},
        "sr": SR,
        "defaults": "n_fft=2048, hop_length=512, center=True, pad_mode='constant', window='hann'",
        "binary_format": "raw little-endian, C order, [rows, kept columns]; .f32 float32, .f64 float64",
        "columns_note": "shape is the whole array's; columns lists the [begin, end) ranges stored, in order; peak_abs is max |value| over the whole array",
        "clips": [],
    }
    track, seg10, unpadded = [], [], []
    for name, description in CLIPS:
        rel = f"wav/{name}.wav"
        path = os.path.join(OUT, rel)
        info = soundfile.info(path)
        with open(path, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        y, sr = librosa.load(path, sr=SR, mono=True)
        arrays, caught = compute(y, sr)
        manifest["clips"].append({
            "name": name, "file": rel, "description": description, "file_sr": info.samplerate,
            "file_channels": info.channels, "file_num_frames": info.frames,
            "file_subtype": info.subtype, "sha256": sha,
            "load_call": "librosa.load(path, sr=22050, mono=True)", "loaded_dtype": str(y.dtype),
            "num_samples": int(y.size), "arrays": write_arrays(name, arrays), "warnings": caught})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fixed = librosa.util.fix_length(y, size=661500)
            track.append((f"{name}.wav", "", seed309_row(fixed, sr)))
            unpadded.append((f"{name}.wav", "", seed309_row(y, sr)))
            if y.size == 661500:
                for k, seg in enumerate(np.array_split(fixed, 10)):
                    seg10.append((f"{name}.wav", str(k), seed309_row(seg, sr)))
        print(f"{name}: {len(arrays)} arrays", flush=True)
    write_rows(os.path.join(OUT, "seed309_track.csv"), track)
    write_rows(os.path.join(OUT, "seed309_seg10.csv"), seg10)
    write_rows(os.path.join(OUT, "seed309_unpadded.csv"), unpadded)
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT} (librosa {librosa.__version__}, numpy {np.__version__})")


if __name__ == "__main__":
    main()
