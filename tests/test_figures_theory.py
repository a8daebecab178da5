"""The figures that need no data set: activations and the universal approximation theorem.
Each test checks what the figure shows, not only that it was drawn."""

import numpy as np
import pytest

from dl101 import activations
from dl101.figures import uat
from dl101.jobs import catalogue, toy_models
from dl101.figures.activations import activations_figure


def test_activations_figure_draws_each_registered_function_and_derivative():
    fig = activations_figure()
    axes = fig.axes
    assert len(axes) == 8
    for ax, name in zip(axes, activations.ACTIVATIONS):
        sigma_line, dsigma_line = ax.get_lines()[:2]
        z = sigma_line.get_xdata()
        if name == "softmax":  # softmax of (z, 0), first output, is the sigmoid
            expected = activations.get("sigmoid").f(z)
        else:
            expected = activations.get(name).f(z)
        np.testing.assert_allclose(sigma_line.get_ydata(), expected, rtol=1e-12)
        s = activations.get("sigmoid" if name == "softmax" else name)
        np.testing.assert_allclose(dsigma_line.get_ydata(), s.df(z, s.f(z)), rtol=1e-12)


@pytest.fixture(scope="module")
def results():
    return toy_models.uat_results(seed=0)


@pytest.fixture(scope="module")
def errors(results):
    return results["errors"]


def test_uat_figure_draws_the_computed_errors_and_fits(results):
    left, right = uat.uat_figure(results).axes
    for line, values in zip(right.get_lines(), results["errors"].values()):
        np.testing.assert_array_equal(line.get_ydata(), values)
    fits = left.get_lines()[1:]  # after the target
    assert [line.get_label() for line in fits] == ["k = 1", "k = 4", "k = 16", "k = 64"]
    for line, k in zip(fits, (1, 4, 16, 64)):
        np.testing.assert_array_equal(line.get_ydata(), results["fits"][k])


@pytest.mark.parametrize("sigma", ["tanh", "relu"])
def test_uat_error_falls_with_k_for_non_polynomial_sigma(errors, sigma):
    e = errors[sigma]
    assert all(later < earlier for earlier, later in zip(e, e[1:])), e  # strictly falling
    assert e[-1] < e[0] / 50


def test_uat_error_stalls_for_a_polynomial_sigma(errors):
    e = errors["square"]
    # g(x) = C (Ax + b)² is a quadratic for every k: the error cannot fall below the best quadratic's
    assert min(e) > 0.9 * e[1] and min(e) > 1.0, e
    assert min(e) > 100 * errors["tanh"][-1]


def test_uat_square_floor_is_the_best_quadratic():
    # least squares over all quadratics on the same grid: its sup error is the floor the z² net reaches
    x = np.linspace(-1, 1, 256)
    coef = np.polyfit(x, uat.target(x), 2)
    grid = np.linspace(-1, 1, 2001)
    floor = np.abs(np.polyval(coef, grid) - uat.target(grid)).max()
    _, err = toy_models.fit_uat(uat.SQUARE, 8)
    assert err == pytest.approx(floor, rel=0.02)


def test_catalogue_names_are_what_the_cli_offers():
    assert {"activations", "uat"} <= set(catalogue.FIGURES)
