#!/usr/bin/env bash
# The pinned environments that rebuild tests/golden bit for bit:
#   .golden-venv          tests/requirements-golden.txt: librosa on Debian 12's Python 3.11.2
#                         and numerical packages, numpy on the reference BLAS
#   .golden-venv-sklearn  tests/requirements-golden-sklearn.txt: scikit-learn from PyPI wheels
#
#   bash tests/golden_env.sh                                   # set both up (root: apt-get)
#   bash tests/golden_env.sh python3 tests/make_goldens.py --check
# Only the golden scripts need them; the build and the test suite never use Python.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${GOLDEN_VENV:-.golden-venv}
venv_sk=${GOLDEN_VENV_SKLEARN:-.golden-venv-sklearn}
if [ ! -x "$venv/bin/python3" ]; then
  # Debian 12's numerical stack at the pinned versions, and the reference BLAS/LAPACK.
  debs=(python3-venv python3-numpy python3-scipy python3-numba python3-sklearn python3-soundfile
        python3-pandas python3-threadpoolctl libblas3 liblapack3)
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debs[@]}" >/dev/null
  else
    echo "golden_env: as root, run: apt-get install -y ${debs[*]}" >&2
  fi
  /usr/bin/python3 -m venv --system-site-packages "$venv"
  "$venv/bin/pip" install -q -r tests/requirements-golden.txt
fi
if [ ! -x "$venv_sk/bin/python3" ]; then
  # Any Python 3.11 will do for wheels; Debian 12's is the default.
  "${GOLDEN_SKLEARN_BASE_PYTHON:-/usr/bin/python3}" -m venv "$venv_sk"
  "$venv_sk/bin/pip" install -q -r tests/requirements-golden-sklearn.txt
fi
[ $# -eq 0 ] && { echo "golden_env: ready ($venv, $venv_sk)"; exit 0; }
export GOLDEN_PYTHON_LIBROSA="$(cd "$venv" && pwd)/bin/python3"
export GOLDEN_PYTHON_SKLEARN="$(cd "$venv_sk" && pwd)/bin/python3"
# Installing libopenblas-dev (the engine's BLAS) makes OpenBLAS the system's libblas.so.3;
# the librosa goldens were made with the reference implementation, whatever
# update-alternatives says. (The sklearn venv's wheels bring their own OpenBLAS.)
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
export LD_LIBRARY_PATH="/usr/lib/$multiarch/blas:/usr/lib/$multiarch/lapack${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
export PATH="$(dirname "$GOLDEN_PYTHON_LIBROSA"):$PATH"
exec "$@"
