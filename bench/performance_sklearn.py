"""Times scikit-learn's metrics on the predictions bench/performance.ts wrote (raw float64 scores, int8 labels).

    /usr/bin/python3 bench/performance_sklearn.py SCORES.f64 LABELS.i8 THRESHOLD
Prints one JSON line: seconds per metric (loading not timed) and the values, so the caller can check agreement.
"""
import json
import sys
import time

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import (accuracy_score, brier_score_loss, f1_score, log_loss, precision_score, recall_score,
                             roc_auc_score)

scores = np.fromfile(sys.argv[1], dtype=np.float64)
labels = np.fromfile(sys.argv[2], dtype=np.int8).astype(np.int64)
threshold = float(sys.argv[3])
timings = {}
values = {}


def timed(name, fn):
    started = time.perf_counter()
    values[name] = fn()
    timings[name] = time.perf_counter() - started


timed('threshold', lambda: (scores >= threshold).astype(np.int64))
predicted = values.pop('threshold')
timed('accuracy', lambda: float(accuracy_score(labels, predicted)))
timed('precision', lambda: float(precision_score(labels, predicted, zero_division=0)))
timed('recall', lambda: float(recall_score(labels, predicted, zero_division=0)))
timed('f1', lambda: float(f1_score(labels, predicted, zero_division=0)))
timed('roc_auc', lambda: float(roc_auc_score(labels, scores)))
timed('log_loss', lambda: float(log_loss(labels, scores, eps=1e-15, labels=[0, 1])))
timed('brier', lambda: float(brier_score_loss(labels, scores, pos_label=1)))


def ece():
    prob_true, prob_pred = calibration_curve(labels, scores, n_bins=10, strategy='uniform')
    edges = np.linspace(0.0, 1.0, 11)
    counts = np.bincount(np.searchsorted(edges[1:-1], scores), minlength=10)
    kept = counts[counts != 0]
    return float(np.sum(kept / len(scores) * np.abs(prob_pred - prob_true)))


timed('ece', ece)
print(json.dumps({'seconds': timings, 'total': sum(timings.values()), 'values': values}))
