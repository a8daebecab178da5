"""The issue's acceptance test: a run trained on real MNIST, through PyTorch and ONNX Runtime,
gives the same float32 probabilities on the 10,000 MNIST test images, as closely as float32 allows."""

import importlib.util

import numpy as np
import pytest

import dl101

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("dl101.data") is None,
                       reason="needs dl101.data, the MNIST loader, which is not in this tree yet"),
]


@pytest.fixture(scope="module")
def mnist_run(tmp_path_factory):
    """A run folder trained for two epochs on 6,000 MNIST images, and the MNIST test set."""
    import dl101.data
    data = dl101.data.load("mnist")
    model = dl101.MLP([784, 64, 32, 10], "relu", "softmax", seed=0)
    dl101.fit(model, data.x_train[:6000], data.y_train[:6000], epochs=2, lr=1e-3, optimizer="adam",
              seed=0)
    folder = tmp_path_factory.mktemp("mnist_run")
    dl101.save_model(model, folder)
    x_test = np.asarray(data.x_test, np.float32)
    assert x_test.shape[1:] == (784,) and 0 <= x_test.min() and x_test.max() <= 1
    assert dl101.evaluate(model, x_test, data.y_test).accuracy > 0.8  # really trained
    return folder, x_test


def test_mnist_roundtrip(mnist_run, tmp_path, float32_tolerance):
    torch = pytest.importorskip("torch")
    ort = pytest.importorskip("onnxruntime")
    from dl101.export import from_torch, to_onnx, to_torch
    folder, x_test = mnist_run
    model = dl101.load_model(folder)
    p = model.predict_proba(x_test)                                    # (10000, 10)
    tol = float32_tolerance(model, x_test)  # 1e-6, or float32's floor where that is larger

    module = to_torch(model)
    with torch.no_grad():
        p_torch = module(torch.from_numpy(x_test)).numpy()
    assert np.abs(p_torch - p).max() <= tol                            # dl101 -> torch
    assert np.abs(from_torch(module).predict_proba(x_test) - p).max() == 0  # -> dl101: same weights

    session = ort.InferenceSession(str(to_onnx(model, tmp_path / "model.onnx")),
                                   providers=["CPUExecutionProvider"])
    (p_onnx,) = session.run(None, {"x_0": x_test})
    assert np.abs(p_onnx - p).max() <= tol                             # dl101 -> ONNX
