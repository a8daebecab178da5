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
    """``tol`` is EarlyStopping's rule on the training loss: an epoch counts as progress when it
    beats the best loss so far by more than tol; ``patience`` epochs without progress stop."""
    x, y, *_ = digits
    model = MLP([64, 10], "linear", "softmax", seed=0)
    history = dl101.fit(model, x, y, epochs=500, lr=0.5, tol=1e-2, patience=2, verbose=0)
    assert history.epochs < 500 and history.stopped_because.startswith("converged")
    best, wait, stop = np.inf, 0, None
    for epoch, value in enumerate(history.loss, 1):  # the rule replayed by hand
        best, wait = (value, 0) if value < best - 1e-2 else (best, wait + 1)
        if wait == 2:
            stop = epoch
            break
    assert stop == history.epochs


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
    with pytest.raises(dl101.TrainingDiverged, match=r"lr=1e\+06 is probably too large, try lr=0.1"):
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
                logs.append({k: v for k, v in out.items() if k != "seconds"})  # all but the timing
        results.append((model.theta.copy(), logs, calls))
    (whole, logs_whole, calls_whole), (pieced, logs_pieced, calls_pieced) = results
    np.testing.assert_array_equal(whole, pieced)
    assert logs_whole == logs_pieced
    assert calls_whole == 2 and calls_pieced == 2 * -(-trainer.n_batches // 7)


def make_trainer(x, y, seed=0, optimizer="momentum", batch_size=32):
    model = MLP([64, 16, 10], seed=1)
    opt = dl101.optim.get(optimizer, model.parameters(flat=True), lr=0.05)
    return dl101.train.Trainer(model, x, y, "cross_entropy", opt, batch_size, np.random.default_rng(seed))


def test_advancing_k_steps_at_a_time_is_one_uninterrupted_run(digits):
    """advance(steps=k) again and again, crossing epoch boundaries, ends bit for bit where one
    uninterrupted epoch loop ends, and its reports add up to what was done."""
    x, y, *_ = digits
    whole = make_trainer(x, y)
    reports = [whole.advance(epochs=1) for _ in range(2)]
    assert [r.steps for r in reports] == [whole.n_batches] * 2 and whole.step_count == 2 * 44
    pieces = make_trainer(x, y)
    steps, losses, epochs = 0, [], []
    while pieces.epoch_count < 2:
        report = pieces.advance(steps=min(7, 2 * pieces.n_batches - steps))
        assert report.stopped is None
        steps, losses, epochs = steps + report.steps, losses + report.losses, epochs + report.epochs
    np.testing.assert_array_equal(whole.model.theta, pieces.model.theta)
    assert losses == reports[0].losses + reports[1].losses and len(losses) == steps == pieces.step_count
    keep = ("epoch", "loss", "accuracy")
    assert [{k: e[k] for k in keep} for e in epochs] == [{k: r.epochs[0][k] for k in keep} for r in reports]
    assert pieces.history.loss == whole.history.loss and pieces.history.epoch == [1, 2]


def test_a_trainer_restored_from_its_state_dict_continues_bit_for_bit(digits):
    """The state after 30 steps (mid-epoch), through JSON and arrays as a checkpoint keeps it,
    restored into a fresh trainer: both go on to the same weights, losses and history."""
    import json
    x, y, *_ = digits
    for optimizer in ("sgd", "momentum", "adam"):
        original = make_trainer(x, y, optimizer=optimizer)
        original.advance(steps=30 + original.n_batches)  # into the second epoch
        state = original.state_dict()
        arrays = {k: v for k, v in state.items() if isinstance(v, np.ndarray)}
        rest = json.loads(json.dumps({k: v for k, v in state.items() if k not in arrays}))
        restored = make_trainer(x, y, seed=99, optimizer=optimizer)  # another generator: restored too
        restored.load_state_dict({**arrays, **rest})
        assert (restored.step_count, restored.epoch_count, restored.position) == (74, 1, 30)
        a, b = original.advance(epochs=2), restored.advance(epochs=2)
        np.testing.assert_array_equal(original.model.theta, restored.model.theta)
        assert a.losses == b.losses and original.history.loss == restored.history.loss
        assert original.history.accuracy == restored.history.accuracy


def test_the_state_dict_is_a_copy_and_refuses_another_run(digits):
    x, y, *_ = digits
    trainer = make_trainer(x, y)
    trainer.advance(steps=3)
    state = trainer.state_dict()
    theta = state["theta"].copy()
    trainer.advance(steps=3)
    np.testing.assert_array_equal(state["theta"], theta)  # training on did not change it
    with pytest.raises(dl101.Dl101Error, match="trained with batch_size=32, this trainer has batch_size=16"):
        make_trainer(x, y, batch_size=16).load_state_dict(state)
    with pytest.raises(dl101.Dl101Error, match="n_samples=1400, this trainer has n_samples=100"):
        make_trainer(x[:100], y[:100]).load_state_dict(state)


def test_stop_requested_stops_after_the_current_step_and_says_why(digits):
    x, y, *_ = digits
    trainer = make_trainer(x, y)

    class StopAtFive(dl101.Callback):
        def on_batch_end(self, step, loss):
            if step == 4:
                trainer.stop_requested = "pause"

    report = trainer.advance(epochs=1, callbacks=[StopAtFive()])
    assert (report.steps, report.stopped, trainer.position, report.epochs) == (5, "pause", 5, [])
    assert trainer.advance(steps=1).steps == 0  # still set: nothing moves
    trainer.stop_requested = None
    report = trainer.advance(epochs=1)
    assert report.steps == trainer.n_batches - 5 and report.stopped is None and trainer.epoch_count == 1


def test_the_learning_rate_can_change_between_steps(digits):
    x, y, *_ = digits
    slow, fast = make_trainer(x, y, optimizer="sgd"), make_trainer(x, y, optimizer="sgd")
    fast.opt.lr = 0.5
    slow.advance(steps=1), fast.advance(steps=1)
    assert fast.state_dict()["lr"] == 0.5
    start = make_trainer(x, y).model.theta
    np.testing.assert_allclose(fast.model.theta - start, 10 * (slow.model.theta - start), rtol=1e-4, atol=1e-6)  # float32 rounding


X = np.random.default_rng(0).normal(size=(10, 4)).astype(np.float32)
Y = np.arange(10) % 3


@pytest.mark.parametrize("overrides, message", [
    ({"verbose": 3}, r"verbose must be 0 \(silent\), 1 \(a progress bar\) or 2 \(one line per epoch\), got 3"),
    ({"verbose": True}, "verbose must be 0 .* got True"),
    ({"verbose": "1"}, "verbose must be 0 .* got '1'"),
    ({"validation_split": 0}, r"validation_split must be a number between 0 and 1 \(exclusive\), e.g. 0.1; got 0"),
    ({"validation_split": 1.0}, "validation_split must be a number between 0 and 1 .* got 1.0"),
    ({"validation_split": "0.2"}, "validation_split must be a number .* got '0.2'"),
    ({"validation_split": 0.05}, "validation_split=0.05 of 10 samples leaves 0 for validation and 10 for "
                                 "training; each needs at least 1"),
    ({"validation_split": 0.2, "validation_data": (X, Y)}, "give validation_data or validation_split, not both"),
    ({"tol": -0.1}, "tol must be a finite number >= 0, got -0.1"),
    ({"tol": float("inf")}, "tol must be a finite number >= 0, got inf"),
    ({"tol": "small"}, "tol must be a finite number >= 0, got 'small'"),
    ({"tol": 0.1, "patience": 0}, "patience must be an integer >= 1, got 0"),
    ({"tol": 0.1, "patience": 1.5}, "patience must be an integer >= 1, got 1.5"),
])
def test_fit_rejects_bad_conveniences_in_one_line(overrides, message):
    with pytest.raises(dl101.Dl101Error, match=message) as err:
        dl101.fit(MLP([4, 5, 3]), X, Y, epochs=1, batch_size=2, **overrides)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("make, message", [
    (lambda: dl101.EarlyStopping(patience=0), "patience must be an integer >= 1, got 0"),
    (lambda: dl101.EarlyStopping(min_delta=-1), "min_delta must be a finite number >= 0, got -1"),
    (lambda: make_trainer(X, Y).advance(), "advance takes steps= or epochs=, exactly one of them"),
    (lambda: make_trainer(X, Y).advance(steps=2, epochs=1), "exactly one of them; got steps=2, epochs=1"),
    (lambda: make_trainer(X, Y).advance(steps=0), "steps must be an integer >= 1, got 0"),
    (lambda: make_trainer(X, Y).load_state_dict({"theta": np.zeros(3)}), "the saved state lacks order, lr"),
])
def test_callbacks_and_the_trainer_reject_bad_input_in_one_line(make, message):
    with pytest.raises(dl101.Dl101Error, match=message):
        make()


def test_validation_split_holds_out_the_last_samples(digits):
    x, y, *_ = digits
    split = dl101.fit(MLP([64, 16, 10], seed=1), x, y, epochs=2, validation_split=0.25, seed=4, verbose=0)
    given = dl101.fit(MLP([64, 16, 10], seed=1), x[:1050], y[:1050], epochs=2, seed=4, verbose=0,
                      validation_data=(x[1050:], y[1050:]))
    split.seconds = given.seconds = []  # all but the timing
    assert split == given and len(split.val_loss) == 2


def test_verbose_shows_a_bar_a_line_or_nothing(digits, capsys):
    x, y, *_ = digits
    for verbose in (0, 1, 2):
        dl101.fit(MLP([64, 10]), x, y, epochs=2, verbose=verbose, validation_split=0.1)
        out, err = capsys.readouterr()
        lines = out.splitlines()
        if verbose == 0:
            assert out == err == ""
        elif verbose == 1:  # tqdm on stderr, the running loss and, at the end, the epoch's metrics
            assert out == "" and "epoch 2/2" in err and "20/20" in err and "val_accuracy" in err
        else:
            assert [line.split()[:3] for line in lines] == [["epoch", "1/2", "loss"], ["epoch", "2/2", "loss"]]
            assert all("val_loss" in line for line in lines) and err == ""
