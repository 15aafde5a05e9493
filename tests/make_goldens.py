#!/usr/bin/env python3
"""Rebuilds every golden file the C++ tests read (tests/golden/), bit for bit.

    bash tests/golden_env.sh                 # once: the two pinned environments
    bash tests/golden_env.sh python3 tests/make_goldens.py           # rebuild in place
    bash tests/golden_env.sh python3 tests/make_goldens.py --check   # rebuild, then fail if
                                                                     # any file changed

The test suite never needs Python: these scripts made the committed files. Two pinned
environments (tests/golden_env.sh makes both and names their interpreters in
GOLDEN_PYTHON_LIBROSA and GOLDEN_PYTHON_SKLEARN):
  librosa  tests/requirements-golden.txt: librosa 0.10.2.post1 on Debian 12's numpy 1.24.2,
           scipy 1.10.1, scikit-learn 1.2.1, with the reference BLAS/LAPACK (OpenBLAS sums
           in another order: 1e-7 differences in mel, chroma, mfcc)
  sklearn  tests/requirements-golden-sklearn.txt: scikit-learn 1.9.1, numpy 1.26.4 wheels
           (GroupKFold(shuffle=True) exists since scikit-learn 1.6)
Each script is checked to run in its environment before anything is written.

Families (one script each, all inputs inside the repository):
  make_golden_librosa.py     librosa frame arrays and 309-column rows of the fixture clips
  make_golden_unseen.py      309-column rows of ten unseen synthetic clips
  make_golden_cqt.py         constant-Q paths the fixture clips never take
  make_golden_split_rs42.py  the study's train_test_split / RandomState index lists (1.2.1)
  make_golden_splits.py      scikit-learn splitters, scalers, PCA
  make_golden_learners.py    SVC, random forest, logistic regression, metrics
"""
import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden")
SCRIPTS = [("make_golden_librosa.py", "librosa"), ("make_golden_unseen.py", "librosa"),
           ("make_golden_cqt.py", "librosa"), ("make_golden_split_rs42.py", "librosa"),
           ("make_golden_splits.py", "sklearn"), ("make_golden_learners.py", "sklearn")]
REQUIREMENTS = {"librosa": "requirements-golden.txt", "sklearn": "requirements-golden-sklearn.txt"}


def pinned(requirements):
    """name -> version from a requirements file."""
    out = {}
    with open(os.path.join(HERE, requirements)) as f:
        for line in f:
            line = line.split("#")[0].strip()
            if "==" in line:
                name, version = line.split("==")
                out[name.strip().lower()] = version.strip()
    return out


def verify_here(env):
    """Run inside an environment's interpreter: exit non-zero with the reasons if it is not
    the pinned one."""
    from importlib.metadata import version
    wrong = []
    for name, want in pinned(REQUIREMENTS[env]).items():
        try:
            have = version(name)
        except Exception:
            have = "missing"
        if have != want:
            wrong.append(f"{name} {have} (pinned {want})")
    if env == "librosa":
        import threadpoolctl
        import numpy  # noqa: F401  (loads the BLAS threadpoolctl looks for)
        blas = [i.get("internal_api") for i in threadpoolctl.threadpool_info()
                if i.get("user_api") == "blas"]
        if blas:
            wrong.append(f"numpy uses {', '.join(blas)} (the librosa goldens need the reference BLAS)")
    if wrong:
        sys.exit(f"make_goldens: not the pinned '{env}' environment:\n  " + "\n  ".join(wrong))


def interpreter(env):
    python = os.environ.get(f"GOLDEN_PYTHON_{env.upper()}")
    if not python:
        sys.exit(f"make_goldens: GOLDEN_PYTHON_{env.upper()} is not set; run it through tests/golden_env.sh")
    subprocess.run([python, os.path.abspath(__file__), "--verify-env", env], check=True)
    return python

def digests():
    out = {}
    for root, _, files in os.walk(GOLDEN):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, GOLDEN)] = hashlib.sha256(f.read()).hexdigest()
    return out


def main():
    if sys.argv[1:2] == ["--verify-env"]:
        return verify_here(sys.argv[2])
    check = "--check" in sys.argv[1:]
    pythons = {env: interpreter(env) for env in REQUIREMENTS}
    before = digests()
    for script, env in SCRIPTS:
        print(f"== {script} ({env})", flush=True)
        subprocess.run([pythons[env], os.path.join(HERE, script)], check=True)
    after = digests()
    changed = sorted(k for k in after if before.get(k) != after[k])
    gone = sorted(k for k in before if k not in after)
    print(f"make_goldens: {len(after)} files, {len(changed)} changed, {len(gone)} no longer made")
    for k in changed:
        print(f"  changed: tests/golden/{k}")
    if check and (changed or gone):
        sys.exit("make_goldens --check: the goldens did not rebuild bit for bit")


if __name__ == "__main__":
    main()
