#!/usr/bin/env python3
"""Goldens for tests/test_learners.cpp and tests/test_ensembles.cpp (host/ml/).

scikit-learn 1.9.1 and numpy 1.26.4 (tests/requirements-golden-sklearn.txt) compute, on Kaggle's features_30_sec.csv (57 numeric
columns: filename and length dropped; labels LabelEncoder-sorted) with the study's split
(perm = RandomState(42).permutation(n), test = first ceil(0.2 n) of perm) and a
StandardScaler fitted on the training rows:
  - SVC(C=100, kernel="rbf", gamma="scale", probability=True, random_state=42):
    test predictions, probabilities, accuracy, the gamma it used;
  - RandomForestClassifier(100, random_state=42): test accuracy (reference only: our forest
    is XGBoost's random-forest mode, a different algorithm);
  - LogisticRegression() (defaults) and a tightly converged one on a small problem:
    coefficients, intercepts, probabilities;
  - accuracy / precision / recall / F1 (zero_division=0) / confusion matrix on hand-made labels.
The output (tests/golden/learners/golden.json) is committed; the C++ tests never need Python.
Run through tests/make_goldens.py (pinned "sklearn" environment, tests/golden_env.sh).
"""
import csv, json, math, os, sys

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score,
                             precision_score, recall_score)
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

HERE = os.path.dirname(os.path.abspath(__file__))
CSV = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    HERE, "..", "data", "gtzan", "features_30_sec.csv")
OUT = os.path.join(HERE, "golden", "learners", "golden.json")


def read_kaggle(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    body = rows[1:]
    X = np.array([[float(v) for v in r[2:-1]] for r in body])
    names = [r[-1] for r in body]
    classes = sorted(set(names))
    y = np.array([classes.index(s) for s in names])
    return X, y, classes


def study_split(n, seed=42, test_size=0.2):
    perm = np.random.RandomState(seed).permutation(n)
    n_test = math.ceil(test_size * n)
    return perm[n_test:], perm[:n_test]   # train, test


def main():
    X, y, classes = read_kaggle(CSV)
    tr, te = study_split(len(y))
    sc = StandardScaler().fit(X[tr])
    Xtr, Xte = sc.transform(X[tr]), sc.transform(X[te])
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "classes": classes,
           "train_idx": tr.tolist(), "test_idx": te.tolist()}

    svc = SVC(C=100, kernel="rbf", gamma="scale", probability=True, random_state=42).fit(Xtr, y[tr])
    p = svc.predict(Xte)
    out["svm"] = {"gamma": 1.0 / (Xtr.shape[1] * Xtr.var()),
                  "pred": p.tolist(), "accuracy": accuracy_score(y[te], p),
                  "proba": svc.predict_proba(Xte).tolist(),
                  "n_support": svc.n_support_.tolist()}

    rf = RandomForestClassifier(n_estimators=100, random_state=42).fit(Xtr, y[tr])
    out["rf_sklearn"] = {"accuracy": accuracy_score(y[te], rf.predict(Xte))}

    # Logistic regression on a small problem: 3 classes, 4 features, 60 rows.
    rng = np.random.RandomState(7)
    Xs = rng.normal(size=(60, 4))
    Ws = rng.normal(size=(4, 3))
    ys = np.argmax(Xs @ Ws + 0.7 * rng.normal(size=(60, 3)), axis=1)
    lr = {"X": Xs.tolist(), "y": ys.tolist()}
    for tag, kw in (("default", {}), ("tight", {"tol": 1e-12, "max_iter": 100000})):
        m = LogisticRegression(**kw).fit(Xs, ys)
        lr[tag] = {"coef": m.coef_.tolist(), "intercept": m.intercept_.tolist(),
                   "proba": m.predict_proba(Xs).tolist(), "n_iter": int(m.n_iter_[0])}
    # Binary case: sklearn keeps one weight vector.
    yb = (ys == 0).astype(int)
    mb = LogisticRegression(tol=1e-12, max_iter=100000).fit(Xs, yb)
    lr["binary_tight"] = {"y": yb.tolist(), "coef": mb.coef_.tolist(),
                          "intercept": mb.intercept_.tolist(), "proba": mb.predict_proba(Xs).tolist()}
    out["logreg"] = lr

    # Metrics on hand-made labels (class 3 never predicted; class 4 absent from y_true).
    yt = [0, 0, 1, 1, 1, 2, 2, 3, 3, 0, 1, 2]
    yp = [0, 1, 1, 1, 2, 2, 0, 0, 1, 0, 4, 2]
    labels = list(range(5))
    kw = {"labels": labels, "zero_division": 0}
    out["metrics"] = {"K": 5, "y_true": yt, "y_pred": yp,
                      "accuracy": accuracy_score(yt, yp),
                      "precision": precision_score(yt, yp, average=None, **kw).tolist(),
                      "recall": recall_score(yt, yp, average=None, **kw).tolist(),
                      "f1": f1_score(yt, yp, average=None, **kw).tolist(),
                      "macro_f1": f1_score(yt, yp, average="macro", **kw),
                      "confusion": confusion_matrix(yt, yp, labels=labels).tolist()}

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print("svm acc", out["svm"]["accuracy"], "rf acc", out["rf_sklearn"]["accuracy"],
          "gamma", out["svm"]["gamma"], "logreg n_iter", lr["default"]["n_iter"])


if __name__ == "__main__":
    main()
