"""Fixtures shared by the test modules: the activations, and a small trained run on digits."""

import numpy as np
import pytest

import dl101
from dl101 import activations

# Every activation of dl101 with non-default parameters where it has any, so that a parameter
# dropped on the way (e.g. LeakyReLU's negative_slope) shows up as a wrong number.
PARAMETERS = {"leaky_relu": {"alpha": 0.2}, "elu": {"alpha": 0.7}}


@pytest.fixture(params=list(activations.ACTIVATIONS))
def sigma(request):
    """Each of the eight activations in turn."""
    return activations.get(request.param, **PARAMETERS.get(request.param, {}))


@pytest.fixture(scope="session")
def float32_tolerance():
    """How closely two engines' float32 outputs of ``model`` on ``x`` can agree: 1e-6, or twice
    dl101's own float32 error (against float64) where that is larger.

    Each engine sums the products of x A_i in its own order and float32 rounds logits of size ~10
    to ~1e-6, so a trained network's float32 probabilities already lie ~1e-6 from the exact ones.
    """
    def tolerance(model, x):
        exact = model.astype("float64").predict_proba(np.asarray(x, np.float64))
        return max(1e-6, 2 * float(np.abs(model.predict_proba(x) - exact).max()))
    return tolerance


@pytest.fixture(scope="session")
def digits():
    """scikit-learn's 8×8 digits as (x_train, y_train, x_test, y_test), pixels scaled to [0, 1]."""
    from sklearn.datasets import load_digits
    x, y = load_digits(return_X_y=True)
    x = (x / 16).astype(np.float32)  # intensities 0..16 -> [0, 1], as MNIST's
    return x[:1400], y[:1400], x[1400:], y[1400:]


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory, digits):
    """A run folder (model.json + model.npz) holding a model trained on digits."""
    x, y, x_test, y_test = digits
    model = dl101.MLP([64, 32, 16, 10], "relu", "softmax", seed=0)
    dl101.fit(model, x, y, epochs=20, lr=0.01, optimizer="adam", seed=0)
    assert dl101.evaluate(model, x_test, y_test).accuracy > 0.85  # really trained
    folder = tmp_path_factory.mktemp("run")
    dl101.save_model(model, folder)
    return folder


@pytest.fixture(scope="session")
def figures_context():
    """One figure context for the session: the MNIST networks the figures share train once."""
    from dl101.jobs.catalogue import Context
    return Context(seed=0)


@pytest.fixture(scope="session")
def digits_run(tmp_path_factory):
    """A run folder of the main job (metrics.json, model.json, model.npz), on the 8x8 digits so
    that it takes a second."""
    from dl101.jobs import mnist
    from dl101.jobs.settings import MnistSettings, RunOptions
    folder = tmp_path_factory.mktemp("digits-run")
    mnist.run(MnistSettings(dataset="digits", epochs=3, lr=0.1),
              RunOptions(out=folder, force=True, figures=False), log=lambda *_: None)
    return folder


@pytest.fixture(scope="module")
def one_thread():
    """One BLAS and OpenMP thread, as ``dl101 figures`` computes (see ``Context.threads``): on a
    busy machine, more threads stall each other on the figures' small matrices."""
    import sklearn  # noqa: F401 (loads its OpenMP runtime: the cap reaches only libraries loaded)
    from dl101.threads import limited
    with limited(1):
        yield
