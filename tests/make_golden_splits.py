#!/usr/bin/env python3
"""Golden fixtures for host/ml: numpy RandomState permutations, scikit-learn splitters and
preprocessing. Writes tests/golden/splits/{numpy_random,train_test_split,kfold,preprocess}.json.

Run through tests/make_goldens.py in the pinned "sklearn" environment
(tests/requirements-golden-sklearn.txt, made by tests/golden_env.sh).
Needs numpy + scikit-learn (+ scipy); the C++ tests only read the committed JSON files.
Input tables: data/gtzan/ (Kaggle's tables, shipped in the repository).
"""
import csv
import json
import os
import sys
from pathlib import Path

import numpy as np
import scipy.linalg
import sklearn
from sklearn.decomposition import PCA
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, train_test_split
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.utils.extmath import svd_flip

ROOT = Path(__file__).resolve().parent.parent
GTZAN = ROOT / "data" / "gtzan"
OUT = ROOT / "tests" / "golden" / "splits"


def meta():
    return {"sklearn_version": sklearn.__version__, "numpy_version": np.__version__,
            "python": sys.version.split()[0], "script": "tests/make_golden_splits.py"}


def read_kaggle(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    body = rows[1:]
    names = header[2:-1]  # drop filename, length; label last
    X = np.array([[float(c) for c in r[2:-1]] for r in body], dtype=np.float64)
    return names, X, [r[-1] for r in body], [r[0] for r in body]


def track_id(filename):
    parts = filename.split(".")
    return ".".join(parts[:2])


def floats(a):
    # repr() of a Python float is the shortest string that reads back exactly.
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def write(name, obj):
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / name, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", OUT / name)


def gen_numpy_random():
    cases = []
    for seed in [0, 1, 7, 42, 123, 2**31, 2**32 - 1]:
        for n in [0, 1, 2, 3, 10, 100, 1000, 2996]:
            cases.append({"seed": seed, "n": n,
                          "permutation": np.random.RandomState(seed).permutation(n).tolist()})
    samples = []
    for seed in [0, 42, 2**32 - 1]:
        rs = np.random.RandomState(seed)
        v = rs.random_sample(8)
        samples.append({"seed": seed, "random_sample_hex": [float(x).hex() for x in v],
                        "then_permutation_50": rs.permutation(50).tolist()})
    # choice without replacement (used by _approximate_mode)
    choices = []
    for seed in [0, 5]:
        rs = np.random.RandomState(seed)
        choices.append({"seed": seed, "pop": 7, "size": 3,
                        "choice": rs.choice(7, size=3, replace=False).tolist()})
    write("numpy_random.json", {"meta": meta(), "permutations": cases,
                                "random_sample": samples, "choice": choices})


def gen_train_test_split(slice_labels, labels30):
    skew = [0] * 5 + [1] * 7 + [2] * 13 + [3] * 2 + [4] * 9 + [5] * 3  # 39 rows, ragged classes
    rng = np.random.RandomState(3)
    skew = rng.permutation(skew).tolist()
    cases = []

    def add(n, test_size, seed, shuffle=True, stratify=None, note=""):
        X = np.arange(n)
        tr, te = train_test_split(X, test_size=test_size, random_state=seed, shuffle=shuffle,
                                  stratify=None if stratify is None else np.asarray(stratify))
        cases.append({"n": n, "test_size": test_size,
                      "test_size_is_count": isinstance(test_size, int),
                      "random_state": seed, "shuffle": shuffle, "note": note,
                      "stratify": stratify, "train": tr.tolist(), "test": te.tolist()})

    add(1000, 0.2, 42, note="the study's 30-s split")
    add(2996, 0.2, 42, note="3-s slice size")
    add(2996, 0.25, 1, note="default-like test size")
    add(2996, 300, 42, note="integer test size")
    add(100, 0.07, 5, note="0.07*100 = 7.000000000000001 in double arithmetic: ceil gives 8")
    add(10, 0.3, 5, shuffle=False, note="no shuffle")
    add(5, 0.5, 2**32 - 1, note="largest seed")
    add(2996, 0.2, 42, stratify=slice_labels, note="stratified by 3-s slice genres (998/1000/998)")
    add(2996, 0.1, 7, stratify=slice_labels, note="stratified, 10%")
    add(1000, 0.2, 42, stratify=labels30, note="stratified by the 30-s genres")
    add(1000, 0.15, 3, stratify=labels30, note="stratified, 15%: remainders tie across classes")
    for seed in range(5):
        add(39, 0.3, seed, stratify=skew, note="ragged classes: _approximate_mode tie breaks")
    add(39, 11, 9, stratify=skew, note="ragged classes, integer test size")
    add(1000, 0.2, 0, stratify=[i % 3 for i in range(1000)], note="i % 3")
    write("train_test_split.json", {"meta": meta(), "cases": cases})


def gen_kfold(slice_labels, slice_groups):
    skew = [0] * 5 + [1] * 7 + [2] * 13 + [3] * 2 + [4] * 9 + [5] * 3
    skew = np.random.RandomState(3).permutation(skew).tolist()
    small_groups = [0, 0, 1, 2, 2, 2, 3, 4, 4, 5, 5, 6, 7, 7, 7, 8, 9, 9, 3, 1, 6, 8]
    cases = []

    def add(kind, n_splits, shuffle, seed, n=None, y=None, groups=None, note=""):
        if kind == "KFold":
            cv = KFold(n_splits, shuffle=shuffle, random_state=seed)
            it = cv.split(np.zeros(n))
        elif kind == "StratifiedKFold":
            cv = StratifiedKFold(n_splits, shuffle=shuffle, random_state=seed)
            n = len(y)
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                it = list(cv.split(np.zeros(n), np.asarray(y)))
        else:
            cv = GroupKFold(n_splits, shuffle=shuffle, random_state=seed)
            n = len(groups)
            it = cv.split(np.zeros(n), groups=np.asarray(groups))
        folds = [{"train": tr.tolist(), "test": te.tolist()} for tr, te in it]
        cases.append({"kind": kind, "n": n, "n_splits": n_splits, "shuffle": shuffle,
                      "random_state": seed, "labels": y, "groups": groups, "note": note,
                      "folds": folds})

    add("KFold", 5, False, None, n=23)
    add("KFold", 5, True, 42, n=1000)
    add("KFold", 10, True, 7, n=2996)
    add("KFold", 4, True, 2**32 - 1, n=23)
    add("StratifiedKFold", 5, False, None, y=slice_labels)
    add("StratifiedKFold", 5, True, 42, y=slice_labels)
    add("StratifiedKFold", 3, True, 0, y=skew, note="a class smaller than n_splits")
    add("StratifiedKFold", 4, True, 11, y=[9, 2, 2, 9, 5, 5, 5, 2, 9, 9, 2, 5, 5, 2],
        note="labels not in first-appearance order")
    add("GroupKFold", 5, False, None, groups=slice_groups, note="3-s slice tracks (ties in size)")
    add("GroupKFold", 5, True, 42, groups=slice_groups, note="3-s slice tracks, shuffled")
    add("GroupKFold", 3, False, None, groups=small_groups)
    add("GroupKFold", 4, True, 3, groups=small_groups)
    write("kfold.json", {"meta": meta(), "cases": cases})


def gen_preprocess():
    names, X, labels, _ = read_kaggle(GTZAN / "features_30_sec.csv")
    sample_rows = list(range(0, X.shape[0], 37)) + [X.shape[0] - 1]
    mm = MinMaxScaler().fit(X)
    Xm = mm.transform(X)
    ss = StandardScaler().fit(X)
    Xs = ss.transform(X)

    def pca_case(Xin, what):
        p = PCA(n_components=3, svd_solver="full").fit(Xin)
        T = p.transform(Xin)
        # scikit-learn < 1.5 flipped signs on U (u_based_decision=True) for the full solver.
        mean = Xin.mean(axis=0)
        U, S, Vt = scipy.linalg.svd(Xin - mean, full_matrices=False)
        Uu, Vu = svd_flip(U.copy(), Vt.copy(), u_based_decision=True)
        Tu = (Xin - mean) @ Vu[:3].T
        auto = PCA(n_components=3).fit(Xin)  # covariance_eigh on 1000x57 in sklearn >= 1.5
        return {"input": what, "mean": floats(p.mean_), "components": floats(p.components_),
                "explained_variance": floats(p.explained_variance_),
                "explained_variance_ratio": floats(p.explained_variance_ratio_),
                "singular_values": floats(p.singular_values_), "transformed": floats(T),
                "components_u_based": floats(Vu[:3]), "transformed_u_based": floats(Tu),
                "components_auto_solver": floats(auto.components_)}

    # A small matrix on which the two sign conventions disagree for some component.
    for seed in range(1000):
        Xd = np.random.RandomState(seed).standard_normal((8, 4)) ** 3
        U, S, Vt = scipy.linalg.svd(Xd - Xd.mean(axis=0), full_matrices=False)
        _, Vu = svd_flip(U.copy(), Vt.copy(), u_based_decision=True)
        _, Vv = svd_flip(U.copy(), Vt.copy(), u_based_decision=False)
        if np.any(np.sign((Vu[:3] * Vv[:3]).sum(axis=1)) < 0):
            break
    pd = PCA(n_components=3, svd_solver="full").fit(Xd)
    signs_disagree = {"X": floats(Xd), "rows": 8, "cols": 4, "generator_seed": seed,
                      "components": floats(pd.components_), "transformed": floats(pd.transform(Xd)),
                      "components_u_based": floats(Vu[:3]),
                      "transformed_u_based": floats((Xd - Xd.mean(axis=0)) @ Vu[:3].T)}

    small = np.array([[1.0, 5.0, 2.0], [2.0, 5.0, -1.0], [4.0, 5.0, 0.5], [3.0, 5.0, 7.0]])
    sm = MinMaxScaler().fit(small)
    sst = StandardScaler().fit(small)
    write("preprocess.json", {
        "meta": meta(), "source": "data/gtzan/features_30_sec.csv (filename, length, label dropped)",
        "names": names, "n_rows": int(X.shape[0]), "sample_rows": sample_rows,
        "minmax": {"data_min": floats(mm.data_min_), "data_max": floats(mm.data_max_),
                   "scale": floats(mm.scale_), "min": floats(mm.min_),
                   "transformed_sample": floats(Xm[sample_rows])},
        "standard": {"mean": floats(ss.mean_), "var": floats(ss.var_), "scale": floats(ss.scale_),
                     "transformed_sample": floats(Xs[sample_rows])},
        "pca_minmax": pca_case(Xm, "MinMaxScaler().fit_transform(X) (the study)"),
        "pca_standard": pca_case(Xs, "StandardScaler().fit_transform(X)"),
        "pca_signs_disagree": signs_disagree,
        "small": {"X": floats(small), "rows": 4, "cols": 3,
                  "minmax_transformed": floats(sm.transform(small)),
                  "standard_scale": floats(sst.scale_),
                  "standard_transformed": floats(sst.transform(small))},
    })


def main():
    _, _, slice_labels_s, slice_files = read_kaggle(
        GTZAN / "features_3_sec_subset_classical_jazz_rock.csv")
    classes = sorted(set(slice_labels_s))
    slice_labels = [classes.index(s) for s in slice_labels_s]
    tracks = [track_id(f) for f in slice_files]
    track_classes = sorted(set(tracks))
    slice_groups = [track_classes.index(t) for t in tracks]
    _, _, labels30_s, _ = read_kaggle(GTZAN / "features_30_sec.csv")
    classes30 = sorted(set(labels30_s))
    labels30 = [classes30.index(s) for s in labels30_s]
    gen_numpy_random()
    gen_train_test_split(slice_labels, labels30)
    gen_kfold(slice_labels, slice_groups)
    gen_preprocess()


if __name__ == "__main__":
    main()
