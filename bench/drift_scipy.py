"""SciPy baseline for bench/drift.ts: the same per-column drift statistics, timed (data loading is not timed).

Usage: /usr/bin/python3 bench/drift_scipy.py DIR   (DIR holds reference.csv, current.csv and tests.json)
For each column it does what Evidently does: drop NaN/inf, count distinct values (test selection), run the test.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd
import scipy
from scipy import stats
from scipy.spatial import distance

directory = sys.argv[1]
with open(os.path.join(directory, 'tests.json')) as fh:
    tests = json.load(fh)
dtypes = {c: (str if c.startswith('cat_') else np.float64) for c in tests}
ref_df = pd.read_csv(os.path.join(directory, 'reference.csv'), dtype=dtypes, usecols=list(tests))
cur_df = pd.read_csv(os.path.join(directory, 'current.csv'), dtype=dtypes, usecols=list(tests))


def shares(ref, cur, numerical, fill):
    if numerical and ref.nunique() > 20:
        edges = np.histogram_bin_edges(pd.concat([ref, cur]).values, bins='sturges')
        rp = np.histogram(ref, edges)[0] / len(ref)
        cp = np.histogram(cur, edges)[0] / len(cur)
    else:
        keys = list(set(ref.unique()) | set(cur.unique()))
        rc, cc = ref.value_counts(), cur.value_counts()
        rp = np.array([rc.get(k, 0) / len(ref) for k in keys])
        cp = np.array([cc.get(k, 0) / len(cur) for k in keys])
    if fill:
        for arr in (rp, cp):
            smallest = arr[arr != 0].min()
            np.place(arr, arr == 0, smallest / 10 ** 6 if smallest <= 0.0001 else 0.0001)
    return rp, cp


def run(test, ref, cur, numerical):
    if test == 'wasserstein':
        return stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
    if test == 'ks':
        return stats.ks_2samp(ref, cur)[1]
    if test == 'jensenshannon':
        return distance.jensenshannon(*shares(ref, cur, numerical, False), 2)
    if test == 'psi':
        rp, cp = shares(ref, cur, numerical, True)
        return np.sum((rp - cp) * np.log(rp / cp))
    if test == 'kl_div':
        return stats.entropy(*shares(ref, cur, numerical, True))
    if test in ('chisquare', 'z'):
        keys = list(set(ref.unique()) | set(cur.unique()))
        rc, cc = ref.value_counts(), cur.value_counts()
        k = len(cur) / len(ref)
        return stats.chisquare([cc.get(x, 0) for x in keys], [rc.get(x, 0) * k for x in keys])[1]
    raise ValueError(test)


by_test = {}
total = 0.0
cpu_started = time.process_time()
for column, test in tests.items():
    started = time.perf_counter()
    ref = ref_df[column].replace([np.inf, -np.inf], np.nan).dropna()
    cur = cur_df[column].replace([np.inf, -np.inf], np.nan).dropna()
    pd.concat([ref, cur]).nunique()
    run(test, ref, cur, not column.startswith('cat_'))
    spent = time.perf_counter() - started
    by_test[test] = by_test.get(test, 0.0) + spent
    total += spent
cpu = time.process_time() - cpu_started
print(json.dumps({'statistics_s': total, 'statistics_cpu_s': cpu, 'by_test': by_test, 'scipy': scipy.__version__}))
