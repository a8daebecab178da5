"""The playground's session, without a browser: it trains exactly as dl101's Trainer and fit do,
its URL state round-trips and replays, its frames have the documented shapes, every bad message
gets a clear error and leaves the session working, and the stepper's numbers are the engine's."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import dl101
from dl101 import optim
from dl101.checks import Dl101Error
from dl101.mlp import MLP
from dl101.playground import exports, frames, problems, runs, views, walk
from dl101.playground.config import Config
from dl101.playground.session import Session
from dl101.playground.views import GRID, PCA_ROWS
from dl101.train import Trainer

SRC = str(Path(__file__).resolve().parents[1] / "src")


def direct_trainer(config):
    """The Trainer a user would build by hand for the same configuration."""
    p = problems.toy(config)
    model = MLP([2, *config.hidden, p.n_classes], config.act, "softmax", config.init, config.seed)
    opt = optim.get(config.opt, model.parameters(flat=True), config.lr)
    return model, p, Trainer(model, p.x_train, p.y_train, "cross_entropy", opt, config.bs,
                             np.random.default_rng(config.seed))


@pytest.mark.parametrize("opt", ["sgd", "momentum", "adam"])
def test_steps_give_the_trainers_weights(opt):
    config = Config(dataset="moons", hidden=[5, 3], act=["relu", "tanh"], opt=opt, lr=0.02, bs=16, seed=3)
    s = Session(config)
    s.handle({"cmd": "step"})
    s.train(40)                                  # 41 steps: across two epoch boundaries (14 per epoch)
    model, _, trainer = direct_trainer(config)
    report = trainer.advance(steps=41)
    assert report.steps == 41 and s.steps == 41 and s.epochs == len(report.epochs) == 2
    np.testing.assert_array_equal(s.model.theta, model.theta)


def test_epochs_give_fits_weights():
    config = Config(dataset="circles", hidden=[6], act=["tanh"], lr=0.05, bs=8, seed=1)
    s = Session(config)
    for _ in range(3):
        s.handle({"cmd": "epoch"})
    p = problems.toy(config)
    model = MLP([2, 6, 2], ["tanh"], "softmax", "auto", 1)
    dl101.fit(model, p.x_train, p.y_train, epochs=3, batch_size=8, lr=0.05, seed=1)
    assert s.epochs == 3 and s.steps == 3 * s.trainer.n_batches
    np.testing.assert_array_equal(s.model.theta, model.theta)


def test_url_state_round_trips_and_a_link_replays_the_run():
    config = Config(dataset="spirals", n=240, noise=0.05, classes=3, hidden=[7, 5, 4],
                    act=["relu", "elu", "swish"], init="he", seed=11, lr=0.07, bs=12, opt="nesterov",
                    epochs=50, spf=4, hide=["editing", "save"])
    query = config.to_query()
    assert Config.from_query(query) == config
    assert Config.from_query("?" + query + "&token=abc") == config  # the token is not state
    s = Session(config)
    s.train(37)
    replay = Session()
    replay.handle({"cmd": "hello", "query": s.config.to_query()})  # what the page's URL holds
    assert replay.steps == 37 and replay.config == s.config
    np.testing.assert_array_equal(replay.model.theta, s.model.theta)


def test_reset_gives_the_same_initial_weights():
    s = Session(Config(seed=5))
    start = s.model.theta.copy()
    s.train(30)
    assert not np.array_equal(s.model.theta, start)
    s.handle({"cmd": "reset"})
    assert s.steps == 0
    np.testing.assert_array_equal(s.model.theta, start)


def test_frame_shapes_2d():
    s = Session(Config(dataset="blobs", classes=3, hidden=[8, 8], act=["tanh", "relu"]))
    s.train(5)
    header, a = frames.decode(s.frame())
    assert header["type"] == "frame" and header["step"] == 5 and header["widths"] == [2, 8, 8, 3]
    assert 0 <= header["test_accuracy"] <= 1 and header["loss"] > 0
    for i, (k_in, k_out) in enumerate([(2, 8), (8, 8), (8, 3)], 1):
        assert a[f"A{i}"].shape == (k_in, k_out) and a[f"b{i}"].shape == (k_out,)
        assert a[f"A{i}"].dtype == np.float32
    assert [a[f"x{i}"].shape for i in range(4)] == [(2,), (8,), (8,), (3,)]
    assert a["maps"].shape == (2 + 8 + 8 + 3, GRID, GRID) and a["maps"].dtype == np.uint8
    assert a["map_scale"].shape == (21,) and a["regions"].shape == (GRID, GRID)
    assert set(np.unique(a["regions"])) <= {0, 1, 2}
    assert a["pca"].shape == (3, min(PCA_ROWS, len(s.problem.x_test)), 2)
    assert a["history"].shape == (2, 6) and a["history"][-1, 0] == 5
    np.testing.assert_array_equal(a["A2"], s.model.layers[1].A)
    # each neuron's map is its activation over the plane: the x_0^1 map grows left to right
    assert (np.diff(a["maps"][0].astype(int), axis=1) >= 0).all()
    assert (np.diff(a["maps"][1].astype(int), axis=0) <= 0).all()  # x_0^2: row 0 at the top


def test_data_frame_and_blob_layout():
    s = Session()
    header, a = frames.decode(s.data_frame())
    assert header["type"] == "data" and len(header["lo"]) == 2
    assert a["x_train"].shape == (len(s.problem.x_train), 2)
    blob = s.frame()
    n = int.from_bytes(blob[:4], "little")
    assert n % 4 == 0  # every array starts on a 4-byte boundary, as the page's Float32Arrays need
    for name, dtype, shape, offset in json.loads(blob[4:4 + n])["arrays"]:
        assert offset % 4 == 0


def test_latest_frame_wins():
    box = frames.Latest()
    box.put(b"1")
    box.put(b"2")
    assert box.replaced == 1 and not box.taken.is_set()
    import asyncio
    assert asyncio.run(box.take()) == b"2" and box.taken.is_set() and box.frame is None


BAD = [
    ("not a dict", ["step"], "JSON object"),
    ("no command", {"lr": 1}, '"cmd"'),
    ("unknown command", {"cmd": "fly"}, "unknown command 'fly'"),
    ("unknown setting", {"cmd": "set", "key": "speed", "value": 1}, "unknown setting 'speed'"),
    ("lr as text", {"cmd": "set", "key": "lr", "value": "fast"}, "lr: expected a number"),
    ("lr negative", {"cmd": "set", "key": "lr", "value": -1}, "lr: -1 is out of range"),
    ("lr too large", {"cmd": "set", "key": "lr", "value": 1e9}, "out of range"),
    ("bs zero", {"cmd": "set", "key": "bs", "value": 0}, "bs: 0 is out of range"),
    ("bs a float", {"cmd": "set", "key": "bs", "value": 2.5}, "bs: expected an integer"),
    ("bs larger than the data", {"cmd": "set", "key": "bs", "value": 5000}, "larger than the 224 training samples; use at most 224"),
    ("bool as int", {"cmd": "set", "key": "seed", "value": True}, "seed: expected an integer"),
    ("a layer too wide", {"cmd": "set", "key": "hidden", "value": [100]}, "at most 16 neurons"),
    ("too many layers", {"cmd": "set", "key": "hidden", "value": [2] * 7}, "at most 6 hidden"),
    ("hidden not a list", {"cmd": "set", "key": "hidden", "value": 8}, "expected a list"),
    ("unknown activation", {"cmd": "set", "key": "act", "value": ["relu", "sine"]}, "unknown value 'sine'"),
    ("z² outside regression", {"cmd": "set", "key": "act", "value": ["square"]}, "regression set only"),
    ("unknown dataset", {"cmd": "set", "key": "dataset", "value": "iris"}, "unknown value 'iris'"),
    ("unknown optimiser", {"cmd": "set", "key": "opt", "value": "rmsprop"}, "unknown value 'rmsprop'"),
    ("unknown view", {"cmd": "set", "key": "hide", "value": ["everything"]}, "unknown value"),
    ("empty set", {"cmd": "set", "values": {}}, "give \"key\""),
    ("play not a bool", {"cmd": "play", "on": "yes"}, "true or false"),
    ("edit a missing layer", {"cmd": "edit", "layer": 9, "param": "A", "l": 0, "k": 0, "value": 1}, "layer must lie"),
    ("edit out of the matrix", {"cmd": "edit", "layer": 1, "param": "A", "l": 5, "k": 0, "value": 1}, "l must lie"),
    ("edit a huge value", {"cmd": "edit", "layer": 1, "param": "b", "k": 0, "value": 1e6}, "in [-100, 100]"),
    ("edit NaN", {"cmd": "edit", "layer": 1, "param": "b", "k": 0, "value": float("nan")}, "must be"),
    ("select out of range", {"cmd": "select", "index": 10_000}, "index must lie"),
    ("draw on a 2D set", {"cmd": "draw", "width": 8, "height": 8, "pixels": [0] * 64}, "digits or MNIST"),
    ("point outside the plane", {"cmd": "add_point", "x1": 9.0, "x2": 0.0, "label": 0}, "point 301"),
    ("point of a bad class", {"cmd": "add_point", "x1": 0.0, "x2": 0.0, "label": 12}, "class 0..7"),
    ("upload not text", {"cmd": "upload", "text": 5}, "'text' must be a text"),
    ("upload too big", {"cmd": "upload", "name": "big.csv", "text": "0,0,0\n" * 200_000}, "over the 1,000,000-byte"),
    ("upload a bad line", {"cmd": "upload", "name": "mine.csv", "text": "x1,x2,label\n0,1,0\n2,oops,1\n"},
     "mine.csv, line 3: x1 and x2 must be numbers"),
    ("upload one class", {"cmd": "upload", "name": "one.csv", "text": "0,1,0\n1,1,0\n"}, "at least two classes"),
    ("steps too many", {"cmd": "set", "key": "steps", "value": 10 ** 7}, "steps:"),
    ("csv without upload", {"cmd": "set", "key": "dataset", "value": "csv"}, "upload a CSV"),
]


@pytest.mark.parametrize("message,match", [pytest.param(m, e, id=name) for name, m, e in BAD])
def test_bad_messages_give_an_error_and_the_session_goes_on(message, match):
    s = Session()
    s.train(3)
    config, theta = s.config.as_dict(), s.model.theta.copy()
    with pytest.raises(Dl101Error, match=match.replace("(", r"\(").replace("[", r"\[")):
        s.handle(message)
    assert s.config.as_dict() == config
    np.testing.assert_array_equal(s.model.theta, theta)
    replies = s.handle({"cmd": "step"})          # still working
    assert s.steps == 4 and frames.decode(replies[-1])[0]["step"] == 4


def test_upload_too_many_points():
    text = "".join(f"{i % 7},{i % 5},{i % 2}\n" for i in range(problems.MAX_POINTS + 1))
    with pytest.raises(Dl101Error, match="10,001 points is over the limit of 10,000"):
        Session().handle({"cmd": "upload", "name": "many.csv", "text": text})


def test_upload_and_clicked_points():
    s = Session(Config(test=0.25))
    text = "x1,x2,label\n" + "".join(f"{np.cos(t):.3f},{np.sin(t):.3f},{int(t > 3)}\n" for t in np.linspace(0, 6, 80))
    s.handle({"cmd": "upload", "name": "ring.csv", "text": text})
    assert s.config.dataset == "csv" and len(s.problem.x_train) + len(s.problem.x_test) == 80
    s.handle({"cmd": "step"})
    moons = Session()
    moons.handle({"cmd": "add_point", "x1": 0.5, "x2": -2.0, "label": 1})
    assert moons.config.dataset == "points" and len(moons.points) == 301 and moons.points[-1] == [0.5, -2.0, 1]
    moons.handle({"cmd": "undo_point"})
    assert len(moons.points) == 300


def test_live_changes_keep_the_run_going():
    s = Session()
    s.handle({"cmd": "play", "on": True})
    s.tick()
    s.handle({"cmd": "set", "key": "lr", "value": 0.2})
    assert s.trainer.opt.lr == 0.2 and s.playing and s.steps == 1
    s.handle({"cmd": "set", "key": "opt", "value": "adam"})
    assert isinstance(s.trainer.opt, optim.Adam) and s.trainer.opt.lr == 0.2
    s.handle({"cmd": "set", "key": "bs", "value": 25})
    assert s.trainer.n_batches == 9 and s.steps == 1
    s.handle({"cmd": "set", "key": "spf", "value": 7})
    s.tick()
    assert s.steps == 8
    s.handle({"cmd": "set", "key": "epochs", "value": 1})  # the budget: 9 steps of 25
    s.tick()
    assert s.steps == 9 and not s.playing
    with pytest.raises(Dl101Error, match="budget of 1 epochs is spent"):
        s.handle({"cmd": "play", "on": True})


def test_network_editing_rebuilds_and_edits_weights():
    s = Session()
    s.handle({"cmd": "set", "values": {"hidden": [4, 3, 2], "act": ["relu", "elu", "sigmoid"]}})
    assert s.model.widths == [2, 4, 3, 2, 2] and [l.sigma.name for l in s.model.layers] == [
        "relu", "elu", "sigmoid", "softmax"]
    s.handle({"cmd": "set", "key": "hidden", "value": [4]})  # one σ per layer follows the widths
    assert s.config.act == ["relu"] and s.model.widths == [2, 4, 2]
    s.handle({"cmd": "edit", "layer": 1, "param": "A", "l": 1, "k": 2, "value": 1.5})
    s.handle({"cmd": "edit", "layer": 2, "param": "b", "k": 1, "value": -0.25})
    assert s.model.layers[0].A[1, 2] == 1.5 and s.model.layers[1].b[1] == -0.25
    assert frames.decode(s.frame())[1]["A1"][1, 2] == 1.5


def test_divergence_shows_dl101s_message_and_a_smaller_lr():
    s = Session(Config(dataset="regression", hidden=[8], act=["linear"], lr=5.0, bs=32, opt="sgd"))
    replies = []
    for _ in range(200):
        replies = s.handle({"cmd": "step"})
        if s.diverged:
            break
    error = replies[-1]
    assert error["type"] == "error" and error["kind"] == "diverged"
    assert "training diverged" in error["message"] and "lr=5" in error["message"]
    assert error["suggested_lr"] == 0.1  # the Trainer's suggestion: lr / 10, at most 0.1 for SGD
    with pytest.raises(Dl101Error, match="reset first"):
        s.handle({"cmd": "play", "on": True})
    frames.decode(s.frame())   # no NaN in the header: the page can still draw
    s.handle({"cmd": "set", "key": "lr", "value": 0.5})
    s.handle({"cmd": "reset"})
    s.handle({"cmd": "step"})
    assert s.diverged is None and s.steps == 1


@pytest.mark.parametrize("config", [Config(hidden=[5, 4], act=["tanh", "relu"], bs=7),
                                    Config(dataset="regression", hidden=[6], act=["tanh"], bs=16, opt="sgd"),
                                    Config(dataset="blobs", classes=3, hidden=[], bs=1)])
def test_the_stepper_walks_the_engines_step(config):
    s = Session(config)
    s.train(5)
    replies = s.handle({"cmd": "walk"})
    header, a = frames.decode(replies[1])
    L = len(s.model.layers)
    assert header["type"] == "walk" and s.steps == 6
    assert len(header["stages"]) == 3 * L + 2 == len(walk.stages(L))
    kinds = [st["kind"] for st in header["stages"]]
    assert kinds[:L] == ["forward"] * L and kinds[L:L + 2] == ["loss", "output"] and kinds[-1] == "update"
    assert [st["layer"] for st in header["stages"] if st["kind"] == "weights"] == list(range(L, 0, -1))
    # the same step as the Trainer's: its gradients, and θ ← θ − λ∇θ with plain SGD
    for i, layer in enumerate(s.model.layers, 1):
        np.testing.assert_array_equal(a[f"dA{i}"], layer.dA)
        np.testing.assert_array_equal(a[f"db{i}"], layer.db)
        np.testing.assert_allclose(a[f"A{i}_after"], a[f"A{i}_before"] - config.lr * a[f"dA{i}"], atol=1e-7)
        np.testing.assert_array_equal(a[f"A{i}_after"], layer.A)
        # ∂l/∂A_i = x_{i-1}ᵀ ∂l/∂z_i and ∂l/∂x_{i-1} = ∂l/∂z_i A_iᵀ, row by row (shown samples)
        n = header["shown"]
        if n == header["batch"]:
            np.testing.assert_allclose(a[f"dA{i}"], a[f"x{i - 1}"].T @ a[f"dz{i}"], rtol=1e-4, atol=1e-6)
        np.testing.assert_allclose(a[f"dx{i - 1}"], a[f"dz{i}"] @ a[f"A{i}_before"].T, rtol=1e-4, atol=1e-7)
    # and the loss is that of the batch the step took, before the update
    assert abs(header["loss"] - s.history[-1][1]) < 1e-6


def test_the_stepper_matches_the_direct_trainer():
    config = Config(hidden=[4], act=["tanh"], bs=5)
    s = Session(config)
    s.train(2)
    _, a = frames.decode(s.handle({"cmd": "walk"})[1])
    model, _, trainer = direct_trainer(config)
    trainer.advance(steps=3)
    np.testing.assert_array_equal(a["dA1"], model.layers[0].dA)
    np.testing.assert_array_equal(a["A2_after"], model.layers[1].A)


def test_regression_view_and_the_square_activation():
    s = Session(Config(dataset="regression", hidden=[4], act=["square"], lr=0.01, bs=32, opt="adam"))
    s.train(20)
    header, a = frames.decode(s.frame())
    assert header["kind"] == "regression" and header["test_accuracy"] is None
    assert a["curve_g"].shape == (views.CURVE,) and a["parts"].shape == (4, views.CURVE)
    assert a["maps"].shape == (1 + 4 + 1, 1, views.CURVE)
    # g = Σ_k C_k σ(A_k x + b_k) + c: the shares and the output bias add up to the curve
    np.testing.assert_allclose(a["parts"].sum(0) + s.model.layers[-1].b[0], a["curve_g"], atol=1e-5)
    assert header["sup_error"] > 0.5  # a degree-2 polynomial cannot follow the target


def test_image_sets_draw_a_digit_and_explain_it():
    s = Session()
    s.handle({"cmd": "set", "key": "dataset", "value": "digits"})
    assert s.config.hidden == [16, 8] and s.problem.n_classes == 4 and s.model.widths == [64, 16, 8, 4]
    s.train(60)
    with pytest.raises(Dl101Error, match="looks blank"):
        s.handle({"cmd": "draw", "width": 16, "height": 16, "pixels": [255] * 256})
    ring = np.full((32, 32), 255)
    yy, xx = np.mgrid[:32, :32]
    ring[np.abs(np.hypot(yy - 16, xx - 16) - 10) < 2.5] = 0       # a dark "0" on white paper
    s.handle({"cmd": "draw", "width": 32, "height": 32, "pixels": ring.ravel().tolist()})
    header, a = frames.decode(s.frame())
    assert header["drawn"] and 0 <= header["prediction"] < 4
    assert a["input"].shape == (64,) and a["ig"].shape == (64,) and a["proba"].shape == (4,)
    assert abs(a["proba"].sum() - 1) < 1e-5
    assert header["completeness"] < 0.05 and abs(header["ig_sum"] - header["gap"]) < 0.05 * abs(header["gap"]) + 1e-6
    assert a["maps"].shape == (16, 8, 8)  # each first-layer neuron's weights as an image
    np.testing.assert_array_equal(a["input"], s.drawn)
    s.handle({"cmd": "preset", "name": "784-64-32-10"})
    assert s.model.widths == [64, 64, 32, 10]


def test_downloads_are_what_dl101_reads(tmp_path):
    s = Session()
    s.train(10)
    for name in ("model.npz", "model.json"):
        (tmp_path / name).write_bytes(exports.download(s, name))
    loaded = dl101.load_model(tmp_path)
    np.testing.assert_array_equal(loaded.theta, s.model.theta)
    assert exports.download(s, "network.png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in exports.download(s, "regions.svg")[:2000]
    with pytest.raises(Dl101Error, match="unknown download"):
        exports.download(s, "secrets.txt")


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    """A finished run of the digits job, as `dl101 mnist` writes it."""
    folder = tmp_path_factory.mktemp("run") / "digits"
    subprocess.run([sys.executable, "-m", "dl101", "mnist", "--dataset", "digits", "--epochs", "5",
                    "--lr", "0.1", "--batch-size", "16", "--out", str(folder), "--no-figures"],
                   check=True, capture_output=True, env={**os.environ, "PYTHONPATH": SRC})
    return folder


def test_a_finished_run_is_the_starting_point(digits_run):
    start = runs.open_finished_run(digits_run)
    s = Session(start=start)
    s.handle({"cmd": "hello", "query": ""})
    expected = dl101.load_model(digits_run)
    np.testing.assert_array_equal(s.model.theta, expected.theta)
    assert s.config.dataset == "digits" and s.steps == 5 * 90 and len(s.history) == 6
    assert s.history[-1][5] > 0.85  # the run's test accuracy
    s.handle({"cmd": "walk"})      # the stepper goes on from the trained model
    assert s.steps == 451
    s.handle({"cmd": "reset"})     # back to the run's initial weights (its seed)
    np.testing.assert_array_equal(s.model.theta, MLP([64, 64, 32, 10], "relu", "softmax", seed=0).theta)


def test_the_docs_quote_the_benchmark():
    """docs/playground.md quotes benchmarks/playground.md's table as the last full run wrote it."""
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    results = json.loads((root / "benchmarks" / "playground.json").read_text())
    assert results["quick"] is False
    table = [line for line in (root / "benchmarks" / "playground.md").read_text().splitlines()
             if line.startswith("|")]
    assert len(table) == 2 + len(results["cases"])
    sys.path.insert(0, str(root))  # the benchmarks package sits beside src/
    from benchmarks.playground import markdown
    assert (root / "benchmarks" / "playground.md").read_text() == markdown(results)
    docs = (root / "docs" / "playground.md").read_text()
    for line in table:
        assert line in docs, line


def test_tabs_on_one_run_do_not_share_their_state(digits_run):
    start = runs.open_finished_run(digits_run)
    first, second = Session(start=start), Session(start=start)
    first.handle({"cmd": "hello", "query": "hide=editing"})
    first.handle({"cmd": "step"})
    first.handle({"cmd": "set", "key": "lr", "value": 0.5})
    assert first.config.hide == ["editing"] and first.steps == 451
    assert start.config.hide == [] and start.config.lr == 0.1 and second.steps == 450
    np.testing.assert_array_equal(second.model.theta, start.model.theta)


def test_a_link_replays_changes_made_while_it_ran():
    """λ, the optimiser and b changed mid-run are logged in the URL and replayed where they
    happened: the link rebuilds the very weights."""
    s = Session(Config(hidden=[6, 4], act=["tanh", "relu"]))
    s.train(30)
    s.handle({"cmd": "set", "key": "lr", "value": 0.2})
    s.handle({"cmd": "set", "key": "lr", "value": 0.1})       # twice at one step: one change
    s.train(20)
    s.handle({"cmd": "set", "key": "opt", "value": "adam"})
    s.train(10)
    s.handle({"cmd": "set", "values": {"bs": 25, "lr": 0.01}})
    s.train(7)
    assert s.config.changes == [[30, "lr", 0.03], [50, "opt", "sgd"], [60, "lr", 0.1], [60, "bs", 10]]
    query = s.config.to_query()
    assert "changes=30:lr:0.03,50:opt:sgd,60:lr:0.1,60:bs:10" in query
    replay = Session()
    replay.handle({"cmd": "hello", "query": query})
    assert replay.steps == 67 and replay.config == s.config
    np.testing.assert_array_equal(replay.model.theta, s.model.theta)
    # going back to step 55 replays the changes up to there, with the settings of then
    replay.handle({"cmd": "set", "key": "steps", "value": 55})
    assert replay.config.lr == 0.1 and replay.config.opt == "adam" and replay.config.bs == 10
    assert replay.config.changes == [[30, "lr", 0.03], [50, "opt", "sgd"]]
    again = Session(Config(hidden=[6, 4], act=["tanh", "relu"]))
    again.train(30)
    again.handle({"cmd": "set", "key": "lr", "value": 0.1})
    again.train(20)
    again.handle({"cmd": "set", "key": "opt", "value": "adam"})
    again.train(5)
    np.testing.assert_array_equal(replay.model.theta, again.model.theta)
    # reset starts a new run with the settings of now; new data or network do too
    replay.handle({"cmd": "reset"})
    assert replay.config.changes == [] and replay.config.opt == "adam"
    s.handle({"cmd": "set", "key": "seed", "value": 4})
    assert s.config.changes == [] and s.steps == 0


@pytest.mark.parametrize("query,match", [
    ("changes=5:momentum:0.9", "key one of lr, opt, bs"),
    ("steps=10&changes=20:lr:0.1", "at most steps=10"),
    ("steps=30&changes=20:lr:0.1,10:lr:0.2", "in order"),
    ("steps=30&changes=20:lr:fast", "lr: expected a number"),
    ("steps=30&changes=x:lr:0.1", "changes: expected an integer"),
])
def test_bad_changes_in_a_link(query, match):
    with pytest.raises(Dl101Error, match=match):
        Config.from_query(query)


def test_a_link_replays_weights_set_by_hand():
    s = Session(Config(hidden=[5]))
    s.handle({"cmd": "edit", "layer": 1, "param": "A", "l": 1, "k": 3, "value": 2.5})   # at step 0
    s.train(10)
    s.handle({"cmd": "edit", "layer": 2, "param": "b", "k": 0, "value": -0.75})
    s.train(10)
    assert s.config.changes == [[0, "A1.1.3", 2.5], [10, "b2.0", -0.75]]
    replay = Session()
    replay.handle({"cmd": "hello", "query": s.config.to_query()})
    np.testing.assert_array_equal(replay.model.theta, s.model.theta)
    with pytest.raises(Dl101Error, match="edit: l must lie in"):
        Session().handle({"cmd": "hello", "query": "steps=3&changes=1:A1.9.0:1.0"})
    with pytest.raises(Dl101Error, match="out of range"):
        Config.from_query("steps=3&changes=1:b1.0:1000")
