"""The 2D figures: the AI family grid and the small network. Each test checks what a panel
shows, and scikit-learn cross-checks the engine's logistic regression on the same features."""

import numpy as np
import pytest

from dl101.figures import ai_family, small_nn
from dl101.jobs import toy_models
from dl101.figures.ai_family import FAMILIES, PROBLEMS

RULE, RAW, POLY, RBF, NN = (f.title for f in FAMILIES)
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("one_thread")]


@pytest.fixture(scope="module")
def results():
    return toy_models.ai_family_results(seed=0)


@pytest.fixture(scope="module")
def accuracy(results):
    """{(problem, family title): test accuracy}, as the compute function gives them."""
    return {key: value[0] for key, value in results.items()}


def test_each_panel_shows_its_own_test_accuracy(results, accuracy):
    grid = ai_family.ai_family_figure(results)
    axes = np.reshape(grid.axes, (len(PROBLEMS), len(FAMILIES)))
    for row, problem in zip(axes, PROBLEMS):
        for ax, family in zip(row, FAMILIES):
            shown = [t.get_text() for t in ax.texts]
            assert shown == [f"test {accuracy[problem, family.title]:.0%}"]


@pytest.mark.parametrize("problem", ["circles", "xor", "spirals"])
def test_the_network_beats_logistic_regression_on_raw_inputs(accuracy, problem):
    # none of the three is linearly separable: a line does little better than a coin on the
    # first two, while the network learns features that separate them
    nn, raw = accuracy[problem, NN], accuracy[problem, RAW]
    assert nn > raw + 0.25 and nn > 0.85, (nn, raw)


@pytest.mark.parametrize("problem", PROBLEMS)
def test_the_hand_written_rules_solve_their_problems(accuracy, problem):
    assert accuracy[problem, RULE] > 0.85


def test_designed_features_help_where_they_fit(accuracy):
    a = accuracy
    assert a["circles", POLY] > 0.95 and a["circles", RBF] > 0.95  # x1² + x2² is a degree-2 feature
    assert a["spirals", RBF] > 0.9 > a["spirals", POLY]            # degree 3 cannot wind twice


def sklearn_accuracy(features, problem):
    """scikit-learn's logistic regression, without penalty (the engine's objective), on the same
    standardised features and the same split."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    x, y, x_test, y_test = ai_family.split_problem(problem, seed=0)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=np.inf, max_iter=20_000))
    return model.fit(features(x), y).score(features(x_test), y_test)


@pytest.mark.parametrize("family", [RAW, POLY, RBF])
@pytest.mark.parametrize("problem", PROBLEMS)
def test_our_logistic_regression_matches_scikit_learns(accuracy, family, problem):
    features = next(f.features for f in FAMILIES if f.title == family)
    assert accuracy[problem, family] == pytest.approx(sklearn_accuracy(features, problem), abs=0.05)


@pytest.mark.parametrize("problem", PROBLEMS)
def test_radial_basis_features_do_as_well_as_an_rbf_support_vector_machine(accuracy, problem):
    # the kernel method whose features our grid of Gaussian bumps approximates
    from sklearn.svm import SVC
    x, y, x_test, y_test = ai_family.split_problem(problem, seed=0)
    svm = SVC(kernel="rbf", C=10).fit(x, y).score(x_test, y_test)
    assert accuracy[problem, RBF] == pytest.approx(svm, abs=0.05)


@pytest.fixture(scope="module")
def small():
    return toy_models.small_nn_results("circles", seed=0)


def rises(values, slack=0.05):
    """Each value at least the one before, give or take ``slack`` (two networks at chance level
    differ by a few points of noise)."""
    return all(later >= earlier - slack for earlier, later in zip(values, values[1:]))


def test_small_nn_accuracy_grows_with_the_hidden_layer(small):
    acc = [small["growth_accuracy"][k] for k in small_nn.GROWTH]
    assert acc[0] < 0.8 and acc[-1] > 0.95 and rises(acc), acc  # one unit draws a line


def test_small_nn_accuracy_grows_with_the_epochs(small):
    acc = [small["training_accuracy"][e] for e in small_nn.SNAPSHOTS]
    assert acc[0] < 0.7 and acc[-1] > 0.95 and rises(acc), acc


def test_small_nn_panels_show_the_accuracies(small):
    top, bottom = np.reshape(small_nn.small_nn_figure(small).axes, (2, -1))
    for ax, k in zip(top, small_nn.GROWTH):
        assert ax.get_title() == f"2-{k}-2, trained"
        assert ax.texts[0].get_text() == f"test {small['growth_accuracy'][k]:.0%}"
    for ax, epoch in zip(bottom, small_nn.SNAPSHOTS):
        assert ax.texts[0].get_text() == f"test {small['training_accuracy'][epoch]:.0%}"
