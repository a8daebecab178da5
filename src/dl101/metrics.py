"""How good a classifier is, class by class: the confusion matrix and, from it, precision, recall
and F1 per class, as scikit-learn's ``classification_report`` gives them, in NumPy.

For class k, with C the confusion matrix (rows: true class, columns: predicted class):
precision = C[k, k] / (column k's sum): of the images called k, the share that are k;
recall = C[k, k] / (row k's sum): of the images of k, the share found; F1 = their harmonic mean,
2 P R / (P + R); support = row k's sum. A ratio whose denominator is 0 counts as 0, as in
scikit-learn.

>>> C = confusion_matrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], 2)
>>> C.tolist()
[[1, 1], [1, 2]]
>>> report = per_class(C, ["a", "b"])
>>> report["b"]
{'precision': 0.6666666666666666, 'recall': 0.6666666666666666, 'f1-score': 0.6666666666666666, 'support': 3}
"""

from __future__ import annotations

import numpy as np


def confusion_matrix(y_true, y_pred, n_classes: int) -> np.ndarray:
    """(K, K) counts of (true class, predicted class): row i, column j counts the images of class i
    predicted as j; the diagonal holds the right answers."""
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return counts


def ratio(top, bottom):
    """``top / bottom`` element-wise, 0 where ``bottom`` is 0."""
    top, bottom = np.asarray(top, dtype=np.float64), np.asarray(bottom, dtype=np.float64)
    return np.divide(top, bottom, out=np.zeros_like(top), where=bottom != 0)


def per_class(counts, class_names) -> dict:
    """{class name: {precision, recall, f1-score, support}} from a confusion matrix, plus the
    'macro avg' (the plain mean over classes) and 'weighted avg' (weighted by support) rows, as
    ``classification_report(output_dict=True)`` names them."""
    counts = np.asarray(counts)
    right, predicted, support = np.diag(counts), counts.sum(axis=0), counts.sum(axis=1)
    precision, recall = ratio(right, predicted), ratio(right, support)
    f1 = ratio(2 * precision * recall, precision + recall)
    report = {str(name): {"precision": float(p), "recall": float(r), "f1-score": float(f), "support": int(s)}
              for name, p, r, f, s in zip(class_names, precision, recall, f1, support)}
    columns = np.stack([precision, recall, f1])  # (3, K)
    for name, weights in (("macro avg", np.ones(len(support))), ("weighted avg", support)):
        mean = columns @ weights / weights.sum()  # (3,)
        report[name] = {"precision": float(mean[0]), "recall": float(mean[1]),
                        "f1-score": float(mean[2]), "support": int(support.sum())}
    return report
