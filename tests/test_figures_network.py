"""The network as the lecture draws it, and the back-propagation frames: the edges the figures
draw (``network.edges``) are checked against the model (sign of A, activations, gradient paths)."""

import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgb
from PIL import Image

from dl101.figures import backprop, network
from dl101.jobs import catalogue, networks
from dl101.figures.style import NEGATIVE, POSITIVE

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("one_thread")]


@pytest.fixture(scope="module")
def lecture(figures_context):
    """The lecture's 784-16-8-4 network on the digits 0-3, and the test digit the figures draw."""
    net = networks.four_class_network(figures_context)
    x, _ = networks.example_digit(net, seed=0)
    return net, x


@pytest.fixture(scope="module")
def drawn(lecture):
    net, x = lecture
    return network.network_figure(net.model, x, net.dataset.image_shape, net.dataset.class_names)


def edges(net, x, flows=None):
    """{layer i: (m, k, rgba, segments)} of every edge drawn for the input x."""
    found = network.edges(net.model, x, net.dataset.image_shape, flows)
    return {i: (e["m"], e["k"], e["rgba"], e["segments"]) for i, e in found.items()}


def test_the_figure_draws_the_computed_edges(lecture, drawn):
    net, x = lecture
    collections = [c for c in drawn.axes[0].collections if isinstance(c, LineCollection)]
    for lines, (m, k, rgba, segments) in zip(collections, edges(net, x).values(), strict=True):
        np.testing.assert_allclose(np.asarray(lines.get_segments()), segments)
        np.testing.assert_allclose(lines.get_colors(), rgba)


def latents(model, x):
    model.forward(x[None])
    return [z[0] for z in model.latents]


def test_the_network_is_the_lectures_and_trained(lecture):
    net, x = lecture
    assert net.model.widths == [784, 16, 8, 4]
    assert [l.sigma.name for l in net.model.layers] == ["relu", "relu", "softmax"]
    assert net.dataset.class_names == ["0", "1", "2", "3"]
    assert net.history.val_accuracy[-1] > 0.95  # on the test set


def test_edge_colours_follow_the_sign_of_A(lecture):
    net, x = lecture
    found = edges(net, x)
    assert sorted(found) == [1, 2, 3]
    for i, (m, k, rgba, _) in found.items():
        A = net.model.layers[i - 1].A[m, k]
        expected = np.where((A > 0)[:, None], to_rgb(POSITIVE), to_rgb(NEGATIVE))
        np.testing.assert_allclose(rgba[:, :3], expected)
        assert (A > 0).any() and (A < 0).any()  # both colours really occur


def test_every_weight_has_an_edge_and_the_input_only_its_non_zero_pixels(lecture, drawn):
    net, x = lecture
    found = edges(net, x)
    pixels = np.flatnonzero(x)
    m, k = found[1][:2]
    assert set(m) == set(pixels) and len(m) == len(pixels) * 16
    for i, (k_in, k_out) in ((2, (16, 8)), (3, (8, 4))):
        m, k = found[i][:2]
        assert sorted(zip(m, k)) == [(a, b) for a in range(k_in) for b in range(k_out)]
    # each first-layer edge starts at the centre of its pixel of the 28 x 28 image on [0, 2] x [-1, 1]
    m, _, _, segments = found[1]
    row, col = np.divmod(m, 28)
    np.testing.assert_allclose(segments[:, 0], np.column_stack([(col + 0.5) / 14, 1 - (row + 0.5) / 14]))


def test_opacity_is_proportional_to_the_previous_neurons_activation(lecture, drawn):
    net, x = lecture
    x_all = latents(net.model, x)
    for i, (m, _, rgba, _) in edges(net, x).items():
        x_prev = x_all[i - 1]
        scale = network.INPUT_OPACITY if i == 1 else 1.0
        np.testing.assert_allclose(rgba[:, 3], scale * x_prev[m] / x_prev.max(), rtol=1e-6)
        assert (rgba[:, 3] == 0).any() == (i > 1)  # dead ReLUs' edges vanish; drawn pixels are lit


def test_the_output_labels_give_the_probabilities(lecture, drawn):
    net, x = lecture
    p = net.model.predict_proba(x[None])[0]
    texts = [t.get_text() for t in drawn.axes[0].texts]
    for name, value in zip(net.dataset.class_names, p):
        assert f"{name}: {value:.0%}" in texts


def paths_by_hand(model, x, j):
    """{layer i: which neurons k of layer i lie on a path of non-zero gradient to output j}: the
    chain rule written out, ∂z_L^j/∂z_i = D_i A_{i+1} ∂z_L^j/∂z_{i+1}, D_i the ReLU's 0/1 mask."""
    model.forward(x[None])
    L = len(model.layers)
    g = np.eye(model.widths[-1])[j]
    on_path = {L: g != 0}
    for i in range(L - 1, 0, -1):
        g = (model.layers[i].A @ g) * (model.layers[i - 1].z[0] > 0)
        on_path[i] = g != 0
    return on_path


@pytest.fixture(scope="module")
def frames(lecture):
    net, x = lecture
    return backprop.backprop_figures(net.model, x, net.dataset.image_shape, net.dataset.class_names)


def test_one_frame_per_output_and_layer_after_the_forward_state(frames):
    names = [name for name in frames if name != "backprop"]
    assert names == [f"backprop-{n:02d}" for n in range(1, 1 + 1 + 4 * 3)]
    assert len(frames["backprop"].frames) == len(names)
    assert any("Forward pass" in t.get_text() for t in frames["backprop-01"].texts)  # the suptitle


def test_highlighted_edges_are_those_on_the_gradient_path(lecture, frames):
    net, x = lecture
    model = net.model
    L = len(model.layers)
    shown = backprop.frame_flows(model, x)
    assert [(j, i) for j, i, _ in shown] == [(j, i) for j in range(4) for i in range(L, 0, -1)]
    for number, (j, i, flows) in enumerate(shown, 2):
        on_path = paths_by_hand(model, x, j)
        fig = frames[f"backprop-{number:02d}"]
        assert fig.axes[0].get_title() == backprop.slide_formula(j, model.widths)
        found = edges(net, x, flows)
        drawn = [c for c in fig.axes[0].collections if isinstance(c, LineCollection)]
        for lines, (_, _, rgba, _) in zip(drawn, found.values(), strict=True):  # the frame draws them
            np.testing.assert_allclose(lines.get_colors(), rgba)
        for n, (m, k, rgba, _) in found.items():
            scale = network.INPUT_OPACITY if n == 1 else 1.0
            lit = rgba[:, 3] > scale * network.FADED * 1.001
            expected = on_path[n][k] if n >= i else np.zeros(len(k), bool)
            np.testing.assert_array_equal(lit, expected,
                                          err_msg=f"output {j}, frame of layer {i}, layer {n}")
            A = model.layers[n - 1].A[m, k]  # highlighted or faded, the colour is A's sign
            np.testing.assert_allclose(rgba[:, :3], np.where((A > 0)[:, None], to_rgb(POSITIVE),
                                                             to_rgb(NEGATIVE)))
        # the last layer's highlight is exactly output j's column A_L^{j,.}, as on the slides
        assert on_path[L].tolist() == [c == j for c in range(4)]


def test_the_slide_formula_is_the_lectures():
    assert backprop.slide_formula(0, [784, 16, 8, 4]) == (
        r"$x_3^{1} = \sigma_3\left(A_3^{1,1} x_2^1 + A_3^{1,2} x_2^2 + \dots + A_3^{1,8} x_2^{8}\right)$")


def test_the_frames_make_an_animated_gif(frames, tmp_path):
    [path] = frames["backprop"].save(tmp_path, "backprop", dpi=20)
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.n_frames == 13
        assert gif.info["duration"] == 1500 and gif.info["loop"] == 0


def test_draw_writes_png_and_svg_the_same_each_time(figures_context, tmp_path):
    first, again = [catalogue.draw(["network"], figures_context, tmp_path / name, log=lambda *_: None)
                    for name in ("first", "again")]
    assert sorted(p.name for p in first) == ["network.png", "network.svg"]
    assert all(p.stat().st_size > 10_000 for p in first)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]  # byte for byte
