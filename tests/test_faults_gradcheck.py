"""Faults, class 12: gradcheck also probes each activation's derivative where a random batch does
not go, |z| up to 100 (issue 14). Before the fix a derivative wrong only for |z| > 3 passed."""

import dataclasses

import numpy as np
import dl101
from dl101 import activations
from faults import cli


def _tanh_wrong_far_out(z, x):
    return np.where(np.abs(z) > 3, 0.5, 1 - x * x)  # right for |z| <= 3, wrong beyond


def test_a_derivative_wrong_only_for_large_z_fails_gradcheck():
    model = dl101.MLP([3, 5, 2], (np.tanh, _tanh_wrong_far_out), "softmax", seed=0)
    x = np.random.default_rng(0).normal(size=(8, 3))  # small weights: every z stays in (-3, 3)
    model.forward(x)
    assert max(np.abs(layer.z).max() for layer in model.layers) < 3
    report = dl101.gradcheck(model, x, np.arange(8) % 2)
    assert all(row.relative_error < 1e-6 for row in report.rows)  # the batch cannot see it
    assert not report.passed
    probe, output = report.derivatives
    assert probe.relative_error > 1e-2 and probe.name.startswith("σ1'")
    assert output.name == "σ2' softmax" and output.relative_error < 1e-6
    assert "FAILED" in str(report) and "σ1' custom:tanh" in str(report)


def test_every_registered_activation_passes_the_large_z_probe(sigma):
    model = dl101.MLP([3, 4, 2], sigma, "linear" if sigma.name == "softmax" else "sigmoid", seed=0)
    report = dl101.gradcheck(model, np.ones((2, 3)), np.ones((2, 2)), loss="mse")
    names = [row.name for row in report.derivatives]
    expected = [f"σ1' {sigma.name}"]
    expected += [] if sigma.name == "sigmoid" else ["σ2' " + ("linear" if sigma.name == "softmax" else "sigmoid")]
    assert names == expected and report.passed, str(report)


def test_a_wrong_softmax_jacobian_far_out_fails_the_probe():
    """Softmax's backward, broken where one z_k dominates its row by more than 50."""
    right = activations.softmax()

    def vjp(dl_dx, z, x):
        spread = z.max(axis=-1, keepdims=True) - z.min(axis=-1, keepdims=True)
        return np.where(spread > 50, 0.0, right.vjp(dl_dx, z, x))
    wrong = dataclasses.replace(right, vjp=vjp)
    model = dl101.MLP.from_arrays([(np.full((3, 4), 0.1), np.zeros(4))], [wrong])
    report = dl101.gradcheck(model, np.ones((2, 3)), [0, 1])
    assert all(row.relative_error < 1e-6 for row in report.rows)
    assert not report.passed and report.derivatives[0].relative_error > 1e-2


def test_the_command_line_reports_the_probe(capsys):
    code, out, err = cli(capsys, "gradcheck", "--activation", "elu")
    assert code == 0 and err == ""
    assert "σ1' elu" in out and "(60,)" in out and "PASSED" in out
