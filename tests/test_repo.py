"""The repository keeps its promises: the README's two commands, and CI running the second."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands():
    lines = ROOT.joinpath("README.md").read_text().splitlines()
    start = lines.index("```bash")
    return lines[start + 1:lines.index("```", start + 1)]


def test_readme_opens_with_exactly_two_setup_commands():
    commands = readme_commands()
    assert len(commands) == 2, commands
    assert "pip install" in commands[0] and "dl101" in commands[0].split("&&")[-1]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = ROOT.joinpath(".ci", "run").read_text().strip().splitlines()
    assert ci[-1] == readme_commands()[1]


def test_import_dl101_loads_numpy_only():
    """The engine imports only NumPy; plotting, scikit-learn, SHAP, PyTorch load where they are used."""
    import subprocess
    import sys
    code = ("import sys, dl101; heavy = {'matplotlib', 'sklearn', 'scipy', 'torch', 'shap', 'onnx', "
            "'onnxruntime', 'PIL', 'tqdm', 'threadpoolctl'}; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""}, check=True).stdout
    assert out.strip() == "[]"
