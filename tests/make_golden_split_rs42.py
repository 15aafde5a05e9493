#!/usr/bin/env python3
"""scikit-learn's train_test_split and numpy's RandomState, index for index:
tests/golden/splits/train_test_split_rs42.json, read by tests/test_splits.cpp.

Cases: the study's split (test_size=0.2, random_state=42, shuffled) for the table sizes the
project meets (200, 1000, 1998, 9990, 10000 rows and odd ones), other seeds, stratified
splits (labels i % 10), and RandomState(42)'s raw Mersenne-Twister words and doubles, checked
here against an independent pure-Python MT19937.

Run in the pinned environment (tests/requirements-golden.txt):  python3 tests/make_goldens.py
The C++ tests only read the committed JSON.
"""
import json
import math
import os
import sys

import numpy as np
import pandas
import sklearn
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "golden", "splits", "train_test_split_rs42.json")


def mt19937_words(seed, n):
    """init_genrand(seed) and n genrand_int32 outputs, written from the MT19937 paper."""
    mt = [0] * 624
    mt[0] = seed & 0xFFFFFFFF
    for i in range(1, 624):
        mt[i] = (1812433253 * (mt[i - 1] ^ (mt[i - 1] >> 30)) + i) & 0xFFFFFFFF
    index, out = 624, []
    for _ in range(n):
        if index >= 624:
            for i in range(624):
                y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7FFFFFFF)
                mt[i] = mt[(i + 397) % 624] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
            index = 0
        y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        y ^= y >> 18
        out.append(y)
    return out


def case(n, test_size, random_state, stratify):
    idx = np.arange(n)
    labels = idx % 10 if stratify else None
    train, test = train_test_split(idx, test_size=test_size, random_state=random_state,
                                   shuffle=True, stratify=labels)
    if not stratify:  # the rule the C++ side implements, asserted here for every case
        perm = np.random.RandomState(random_state).permutation(n)
        n_test = math.ceil(test_size * n)
        assert list(test) == list(perm[:n_test]) and list(train) == list(perm[n_test:])
    return {"n": n, "test_size": test_size, "random_state": random_state, "shuffle": True,
            "stratify": "i % 10" if stratify else None, "n_train": len(train),
            "n_test": len(test), "train": [int(i) for i in train], "test": [int(i) for i in test]}


def numpy_random_state():
    rs = np.random.RandomState(42)
    words = [int(w) for w in rs.randint(0, 2**32, size=5, dtype=np.uint32)]
    assert words == mt19937_words(42, 5)
    mt = mt19937_words(42, 10)
    doubles = [((mt[2 * k] >> 5) * 2**26 + (mt[2 * k + 1] >> 6)) / 2**53 for k in range(5)]
    sample = [float(x) for x in np.random.RandomState(42).random_sample(5)]
    assert doubles == sample
    return {
        "seed": 42,
        "permutation_10": [int(i) for i in np.random.RandomState(42).permutation(10)],
        "raw_mt19937_uint32_first5": words,
        "raw_note": "RandomState(42).randint(0, 2**32, size=5, dtype=np.uint32) (full range => numpy returns the raw genrand_int32 words); equal to an independent pure-Python MT19937 init_genrand(42) in this script",
        "random_sample_first5": [repr(x) for x in sample],
        "random_sample_first5_hex": [x.hex() for x in sample],
        "random_sample_rule": "((w0>>5)*2^26 + (w1>>6)) / 2^53 from consecutive raw words",
    }


def main():
    out = {
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "pandas_version": pandas.__version__,
        "python_version": sys.version.split()[0],
        "python_executable": "/usr/bin/python3",
        "rule": "unstratified: perm = RandomState(random_state).permutation(n); n_test = ceil(test_size*n); test = perm[:n_test]; train = perm[n_test:] (asserted for every unstratified case)",
        "cases": [case(n, 0.2, rs, False) for n, rs in
                  [(200, 42), (1000, 42), (1998, 42), (9990, 42), (10000, 42), (7, 42),
                   (123, 42), (1000, 0), (1000, 7)]],
        "stratified_cases": [case(n, 0.2, rs, True) for n, rs in
                             [(1000, 42), (9990, 42), (1000, 0), (1000, 7)]],
        "numpy_random_state": numpy_random_state(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT} (scikit-learn {sklearn.__version__}, numpy {np.__version__})")


if __name__ == "__main__":
    main()
