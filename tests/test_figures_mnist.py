"""The MNIST figures: representations, SHAP and dl101's attributions, and the main job's pictures,
each checked against the data it claims to show."""

import json

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba

from dl101 import attributions
from dl101.figures.explanations import digits_of_different_classes, explain, explanations_figure
from dl101.figures.representations import (first_layer_weights, representations,
                                           representations_figure, separation)
from dl101.jobs import catalogue, networks
from dl101.figures.style import CLASS_COLOURS

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("one_thread")]


@pytest.fixture(scope="module")
def lecture(figures_context):
    """The lecture's 784-64-32-10 network, trained by the main job with its defaults."""
    return networks.lecture_network(figures_context)


def test_the_network_is_the_lectures_and_trained(lecture):
    assert lecture.model.widths == [784, 64, 32, 10] and lecture.model.n_parameters == 52650
    assert len(lecture.history.val_accuracy) == 12 and lecture.history.val_accuracy[-1] > 0.93  # test set


@pytest.fixture(scope="module")
def tsne(lecture):
    d = lecture.dataset
    return representations(lecture.model, d.x_test, d.y_test, n=1000, seed=0)


def scores(results):
    return {i: sep for i, (_, sep) in results["maps"].items()}


def test_layer_2_separates_the_classes_better_than_the_pixels(tsne):
    s = scores(tsne)
    assert s[2]["silhouette"] > s[0]["silhouette"] + 0.1, s
    assert s[2]["knn"] > s[0]["knn"], s
    assert s[1]["silhouette"] > s[0]["silhouette"], s


def test_each_panel_draws_the_digits_it_scores(lecture, tsne):
    d = lecture.dataset
    fig = representations_figure(lecture.model, d.x_test, d.y_test, d.class_names, results=tsne)
    panels = [ax for ax in fig.axes if ax.collections]
    assert len(panels) == 3
    for i, ax in enumerate(panels):
        [points] = [c for c in ax.collections if isinstance(c, PathCollection)]
        xy = points.get_offsets()
        assert len(xy) == 1000
        np.testing.assert_allclose(points.get_facecolors()[:, :3],
                                   [to_rgba(CLASS_COLOURS[c])[:3] for c in tsne["labels"]])
        np.testing.assert_allclose(xy, tsne["maps"][i][0])
        score = separation(np.asarray(xy), tsne["labels"])
        assert score == pytest.approx(scores(tsne)[i])
        assert f"5-NN accuracy {score['knn']:.1%}, silhouette {score['silhouette']:.2f}" in ax.get_title()


def test_pca_is_an_option_and_shows_the_same_trend(lecture):
    d = lecture.dataset
    s = scores(representations(lecture.model, d.x_test, d.y_test, method="pca", n=1000))
    assert s[2]["knn"] > s[0]["knn"] + 0.05, s


def test_first_layer_weights_are_the_columns_of_A1(lecture):
    fig = first_layer_weights(lecture.model, (28, 28))
    images = [ax.images[0].get_array() for ax in fig.axes if ax.images]
    A = lecture.model.layers[0].A
    assert len(images) == 64
    for k, image in enumerate(images):
        np.testing.assert_array_equal(image, A[:, k].reshape(28, 28))


@pytest.fixture(scope="module")
def explained(lecture):
    """Four test digits of different classes, as the catalogue picks them, and their explanations."""
    d = lecture.dataset
    pick = digits_of_different_classes(d.y_test, 4, seed=0)
    return d.x_test[pick], explain(lecture.model, d.x_test[pick], d.image_shape, seed=0), d.y_test[pick]


@pytest.fixture(scope="module")
def shap_figure(lecture, explained):
    x, found, y = explained
    d = lecture.dataset
    return explanations_figure(lecture.model, x, y, d.class_names, d.image_shape, found=found)


def test_the_figure_shows_the_digits_explained(explained, shap_figure):
    drawn = [ax.images[0].get_array().ravel() for ax in shap_figure.axes[:-1]
             if ax.get_subplotspec().colspan.start == 0]
    np.testing.assert_array_equal(drawn, explained[0])


def test_integrated_gradients_are_complete(explained):
    assert explained[1]["completeness"].max() < 0.01


def test_shap_values_add_up_to_the_probability_above_the_black_image(lecture, explained):
    x, found, _ = explained
    p, p_black = lecture.model.predict_proba(x), lecture.model.predict_proba(np.zeros_like(x))
    np.testing.assert_allclose(found["shap"].sum(axis=1), p - p_black, atol=1e-5)


def test_shap_and_integrated_gradients_agree_on_the_predicted_class(explained):
    # both share out the same f_c(x) - f_c(black); SHAP's partition explainer works on blocks of
    # pixels, so they are compared on 4 x 4 blocks
    found = explained[1]
    def blocks(a):
        return a.reshape(7, 4, 7, 4).sum(axis=(1, 3)).ravel()
    for row, c in enumerate(found["predicted"]):
        shap_map, ig = found["shap"][row, :, c], found["integrated_gradients"][row]
        assert shap_map.sum() == pytest.approx(ig.sum(), rel=0.01)
        assert np.corrcoef(blocks(shap_map), blocks(ig))[0, 1] > 0.6


def test_the_attribution_panels_show_the_attributions(lecture, explained, shap_figure):
    x, found, _ = explained
    c = lecture.model.predict(x)
    np.testing.assert_allclose(found["gradient_x_input"],
                               attributions.gradient_times_input(lecture.model, x, c))
    last = [ax for ax in shap_figure.axes[:-1] if ax.get_subplotspec().colspan.start == 13]
    for row, ax in enumerate(last):
        np.testing.assert_array_equal(ax.images[1].get_array(),
                                      found["integrated_gradients"][row].reshape(28, 28))
        assert ax.texts[0].get_text() == f"Σ = f(x) - f(0) within {found['completeness'][row]:.2%}"


def test_training_curves_plot_the_history(figures_context, lecture):
    fig = figures_context.figures("training-curves")["training-curves"]
    loss, accuracy = fig.axes
    for ax, metric, scale in ((loss, "loss", 1), (accuracy, "accuracy", 100)):
        train, test = ax.get_lines()
        np.testing.assert_allclose(train.get_ydata(), np.array(getattr(lecture.history, metric)) * scale)
        np.testing.assert_allclose(test.get_ydata(), np.array(getattr(lecture.history, f"val_{metric}")) * scale)
        assert [line.get_label() for line in (train, test)] == ["train", "test"]


def test_confusion_matrix_counts_the_test_set(figures_context, lecture):
    fig = figures_context.figures("confusion-matrix")["confusion-matrix"]
    counts = np.array([int(t.get_text()) for t in fig.axes[0].texts]).reshape(10, 10)
    assert counts.sum() == 10_000
    assert np.bincount(lecture.dataset.y_test).tolist() == counts.sum(axis=1).tolist()
    # the same model as the history's last epoch: the same accuracy
    assert np.trace(counts) / 10_000 == pytest.approx(lecture.history.val_accuracy[-1])


def test_mnist_samples_show_eight_digits_of_each_class(figures_context, lecture):
    fig = figures_context.figures("mnist-samples")["mnist-samples"]
    (ax,) = fig.axes  # one mosaic, each digit titled just above its tile
    titles = [t.get_text() for t in ax.texts]
    assert titles == [str(c) for c in range(10) for _ in range(8)]
    mosaic, data = ax.images[0].get_array(), lecture.dataset
    for text in ax.texts:  # the tile under each title is a training image of that class
        x, y = text.get_position()
        top, left = int(round(y)) + 1, int(round(x - 14))
        tile = np.asarray(mosaic[top:top + 28, left:left + 28]).ravel()
        same_class = data.x_train[data.y_train == int(text.get_text())]
        assert np.abs(same_class - tile).max(axis=1).min() < 1e-6


def test_a_run_folder_is_drawn_as_it_was_trained(digits_run):
    ctx = catalogue.Context(run=str(digits_run))
    history = json.loads((digits_run / "metrics.json").read_text())["history"]
    curves = ctx.figures("training-curves")["training-curves"]
    np.testing.assert_allclose(curves.axes[0].get_lines()[1].get_ydata(), history["val_loss"])
    net = networks.lecture_network(ctx)
    assert net.dataset.image_shape == (8, 8) and net.model.widths == [64, 64, 32, 10]
    confusion = ctx.figures("confusion-matrix")["confusion-matrix"]
    counts = np.array([int(t.get_text()) for t in confusion.axes[0].texts]).reshape(10, 10)
    assert np.trace(counts) / counts.sum() == pytest.approx(history["val_accuracy"][-1])
