"""The layers above the engine point one way (STYLE.md): engine ← figures ← jobs ← commands/cli,
and a figure never trains (what it draws is trained in jobs/). Read from the source's import
statements, the lazy ones inside functions included."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "dl101"
ENGINE = ["activations", "layers", "losses", "init", "mlp", "optim", "train", "trainer", "divergence",
          "gradcheck", "parameters", "callbacks", "checks"]
ABOVE = {  # a layer: what it must never import
    "engine": ["dl101.figures", "dl101.jobs", "dl101.commands", "dl101.cli", "dl101.playground", "dl101.data"],
    "figures": ["dl101.jobs", "dl101.commands", "dl101.cli", "dl101.playground",
                "dl101.train", "dl101.optim", "dl101.callbacks"],  # a figure draws; it never trains
    "jobs": ["dl101.commands", "dl101.cli", "dl101.playground"],
}


def imported(path: Path, source=None) -> set[str]:
    """Every module ``path`` (or ``source``, as if it were there) imports, anywhere in it,
    relative imports resolved."""
    package = ["dl101", *path.relative_to(PACKAGE).parent.parts]
    names = set()
    for node in ast.walk(ast.parse(source if source is not None else path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)  # from . import jobs
    return names


def modules(layer):
    if layer == "engine":
        return [PACKAGE / f"{name}.py" for name in ENGINE]
    return sorted((PACKAGE / layer).glob("*.py"))


def forbidden(path, layer, source=None):
    return sorted(name for name in imported(path, source)
                  for bad in ABOVE[layer] if name == bad or name.startswith(bad + "."))


def test_the_reader_sees_relative_imports():
    """The check itself: ``from ..jobs import x`` inside a function of figures/ is caught."""
    here = PACKAGE / "figures" / "network.py"
    assert "dl101.figures.style" in imported(here)  # from .style import ...
    probe = "def f():\n    from ..jobs.networks import train\n    from .. import commands\n"
    assert forbidden(here, "figures", probe) == ["dl101.commands", "dl101.jobs.networks",
                                                 "dl101.jobs.networks.train"]


@pytest.mark.parametrize("layer", list(ABOVE))
def test_no_module_imports_a_layer_above_its_own(layer):
    found = {path.name: forbidden(path, layer) for path in modules(layer)}
    assert modules(layer) and not any(found.values()), {k: v for k, v in found.items() if v}
