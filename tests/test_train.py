"""Training: SGD learns, one seed gives one result, convergence and callbacks, evaluation."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

import dl101
from dl101 import MLP


@pytest.fixture(scope="module")
def digits():
    d = load_digits()
    x, y = (d.data / 16).astype(np.float32), d.target
    return x[:1400], y[:1400], x[1400:], y[1400:]


def test_sgd_learns_the_digits(digits):
    x, y, x_val, y_val = digits
    model = MLP([64, 32, 10], "relu", "softmax", seed=0)
    history = dl101.fit(model, x, y, epochs=30, lr=0.1, batch_size=32, validation_data=(x_val, y_val))
    assert history.epochs == 30 and history.stopped_because == ""
    assert history.loss[-1] < history.loss[0] / 5
    assert history.val_accuracy[-1] > 0.9
    result = dl101.evaluate(model, x_val, y_val)
    assert result.accuracy == history.val_accuracy[-1] and result.loss == history.val_loss[-1]
    np.testing.assert_array_equal(result.predictions, result.probabilities.argmax(1))
    np.testing.assert_allclose(result.probabilities.sum(1), 1, rtol=1e-6)
    np.testing.assert_array_equal(model.predict(x_val), result.predictions)


def test_one_seed_one_result_bit_for_bit(digits):
    x, y, *_ = digits
    runs = []
    for _ in range(2):
        model = MLP([64, 16, 10], "tanh", seed=3)
        history = dl101.fit(model, x, y, epochs=3, lr=0.05, seed=7)
        runs.append(([theta.copy() for _, theta, _ in model.parameters()], history.loss))
    for a, b in zip(runs[0][0], runs[1][0]):
        np.testing.assert_array_equal(a, b)
    assert runs[0][1] == runs[1][1]
    other = MLP([64, 16, 10], "tanh", seed=3)
    dl101.fit(other, x, y, epochs=3, lr=0.05, seed=8)  # another shuffle, other weights
    assert not np.array_equal(other.layers[0].A, runs[0][0][0])


def test_single_sample_sgd_and_the_remainder_batch(digits):
    x, y, *_ = digits
    seen = []

    class Count(dl101.Callback):
        def on_batch_end(self, step, loss):
            seen.append(step)

    model = MLP([64, 10, 10], seed=0)
    dl101.fit(model, x[:50], y[:50], epochs=2, batch_size=1, lr=0.05, callbacks=[Count()])
    assert len(seen) == 100                      # b = 1: one update per sample
    seen.clear()
    dl101.fit(model, x[:50], y[:50], epochs=1, batch_size=16, callbacks=[Count()])
    assert len(seen) == 4                        # ⌈50 / 16⌉: the last batch holds the 2 left over


def test_tolerance_stops_when_converged(digits):
    x, y, *_ = digits
    model = MLP([64, 10], "linear", "softmax", seed=0)
    history = dl101.fit(model, x, y, epochs=500, lr=0.5, tol=1e-2, patience=2)
    assert history.epochs < 500 and history.stopped_because.startswith("converged")
    for i in (-2, -1):  # each of the last `patience` epochs beat the best before it by less than tol
        assert history.loss[i] > min(history.loss[:i]) - 1e-2
    assert history.loss[-3] < min(history.loss[:-3]) - 1e-2  # the epoch before them did not


def test_early_stopping_restores_the_best_weights(digits):
    x, y, x_val, y_val = digits
    model = MLP([64, 64, 10], seed=0)
    stopper = dl101.EarlyStopping("val_loss", patience=1, restore_best=True)
    history = dl101.fit(model, x[:200], y[:200], epochs=300, lr=0.3, batch_size=8,
                        validation_data=(x_val, y_val), callbacks=[stopper])
    assert history.epochs < 300 and stopper.stopped_epoch == history.epochs
    best = int(np.argmin(history.val_loss))
    assert dl101.evaluate(model, x_val, y_val).loss == pytest.approx(history.val_loss[best], rel=1e-6)


def test_early_stopping_names_a_metric_the_run_lacks(digits):
    x, y, *_ = digits
    with pytest.raises(dl101.Dl101Error, match="monitors 'val_loss'.*pass validation data"):
        dl101.fit(MLP([64, 10]), x, y, epochs=2, callbacks=[dl101.EarlyStopping()])


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "adam"])
def test_every_optimiser_trains(digits, optimizer):
    x, y, *_ = digits
    model = MLP([64, 32, 10], seed=0)
    lr = 0.003 if optimizer == "adam" else 0.1
    history = dl101.fit(model, x, y, epochs=4, lr=lr, optimizer=optimizer)
    assert history.loss[-1] < 0.5 * history.loss[0]


def test_float64_on_request(digits):
    x, y, *_ = digits
    model = MLP([64, 8, 10], dtype="float64")
    dl101.fit(model, x, y, epochs=1)
    assert all(theta.dtype == np.float64 for _, theta, _ in model.parameters())
    assert MLP([64, 10]).layers[0].A.dtype == np.float32  # float32 by default


def test_divergence_stops_with_an_error_naming_the_learning_rate(digits):
    x, y, *_ = digits
    model = MLP([64, 32, 1], "relu", "linear", seed=0)
    with pytest.raises(dl101.TrainingDiverged, match=r"lr=1e\+06 is probably too large, try lr=100000"):
        dl101.fit(model, x, y[:, None] * 100.0, loss="mse", epochs=5, lr=1e6)


def test_regression_with_mse_and_a_linear_output():
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, size=(512, 1))
    y = np.sin(x)
    model = MLP([1, 32, 1], "tanh", "linear", seed=0)
    history = dl101.fit(model, x, y, loss="mse", epochs=200, lr=0.05, batch_size=32)
    assert history.accuracy[-1] is None and history.loss[-1] < 0.01
    assert dl101.evaluate(model, x, y, loss="mse").loss < 0.01


def test_the_flat_update_equals_one_update_per_array(digits):
    """fit's optimisers update θ as one flat vector; the result is the same, bit for bit, as the
    lecture's update applied to each A_i and b_i in turn."""
    x, y, *_ = digits
    flat = MLP([64, 16, 10], seed=1)
    dl101.fit(flat, x, y, epochs=2, lr=0.05, batch_size=50, optimizer="adam", seed=2)
    per_array = MLP([64, 16, 10], seed=1)
    opt = dl101.optim.get("adam", per_array.parameters(), lr=0.05)
    rng = np.random.default_rng(2)
    for epoch in range(2):
        order = rng.permutation(len(x))
        for start in range(0, len(x), 50):
            idx = order[start:start + 50]
            per_array.loss_backward(x[idx], y[idx])
            opt.step()
    np.testing.assert_array_equal(flat.theta, per_array.theta)


def test_an_epoch_in_pieces_is_the_same_epoch(digits):
    """``Trainer.epoch(max_steps=k)`` stops after k steps and the next call goes on: an epoch run
    in pieces of 7 steps ends with the same weights and metrics, bit for bit, as one run whole."""
    x, y, *_ = digits
    results = []
    for pieces in (None, 7):
        model = MLP([64, 16, 10], seed=1)
        opt = dl101.optim.get("sgd", model.parameters(flat=True), lr=0.05)
        trainer = dl101.train.Trainer(model, x, y, dl101.losses.get("cross_entropy"), opt, 32,
                                      np.random.default_rng(0))
        logs, calls = [], 0
        while len(logs) < 2:  # two epochs
            out, calls = trainer.epoch(max_steps=pieces), calls + 1
            if out is not None:
                logs.append(out)
        results.append((model.theta.copy(), logs, calls))
    (whole, logs_whole, calls_whole), (pieced, logs_pieced, calls_pieced) = results
    np.testing.assert_array_equal(whole, pieced)
    assert logs_whole == logs_pieced
    assert calls_whole == 2 and calls_pieced == 2 * -(-trainer.n_batches // 7)
