"""scikit-learn's MLPClassifier and MLPRegressor, opened as dl101 models.

scikit-learn keeps the same multi-layer perceptron the same way round as dl101: ``coefs_[i]`` is
A_{i+1} of shape (k_i, k_{i+1}) and ``intercepts_[i]`` is b_{i+1}, so nothing is transposed. Its
hidden activation is one name for all hidden layers and its output activation (``out_activation_``)
follows from the task:

- multiclass classification: softmax, so dl101's output equals ``predict_proba``;
- binary classification: a single logistic unit, dl101's sigmoid with 1 output. dl101's output is
  then (N, 1), the probability of ``classes_[1]``, while ``predict_proba`` gives two columns
  [1 - p, p]; and dl101's ``predict`` (an argmax over one column) is always 0, so threshold the
  output at 0.5 instead;
- multilabel classification: one sigmoid per label, as ``predict_proba``;
- regression (MLPRegressor): linear, so dl101's output equals ``predict`` (as a column).
"""

from __future__ import annotations

from .. import activations
from ..checks import Dl101Error
from ..checks import get
from ..mlp import MLP

# scikit-learn's activation names (its neural_network ACTIVATIONS table) -> dl101's
SKLEARN_ACTIVATIONS = {"identity": "linear", "logistic": "sigmoid", "tanh": "tanh", "relu": "relu",
                       "softmax": "softmax"}


def from_sklearn(estimator, dtype=None):
    """The :class:`~dl101.MLP` computing a fitted ``MLPClassifier`` or ``MLPRegressor``.

    ``dtype`` defaults to the weights' own (float64, unless scikit-learn was fitted on float32).
    """
    if not all(hasattr(estimator, a) for a in ("activation", "hidden_layer_sizes")):
        raise Dl101Error(f"from_sklearn reads a fitted MLPClassifier or MLPRegressor, got "
                         f"{type(estimator).__name__}")
    if not hasattr(estimator, "coefs_"):
        raise Dl101Error(f"this {type(estimator).__name__} is not fitted yet: call .fit(x, y) first")
    hidden = activations.get(get(SKLEARN_ACTIVATIONS, estimator.activation, "scikit-learn activation"))
    output = activations.get(get(SKLEARN_ACTIVATIONS, estimator.out_activation_, "scikit-learn activation"))
    sigmas = [hidden] * (len(estimator.coefs_) - 1) + [output]
    return MLP.from_arrays(list(zip(estimator.coefs_, estimator.intercepts_)), sigmas, dtype)
