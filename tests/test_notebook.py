"""The practical session: TP1.ipynb and its solutions run top to bottom in a fresh kernel, their
committed files are their source's and carry no outputs, and TP1.html renders in a real Chromium
without loading anything from the network."""

import json
import re
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from clitools import run_cli
from system import require_chromium

from dl101 import cli
from dl101.notebook import NOTEBOOKS, build, dumps, external_loads, file_name, parse, to_html
from dl101.notebook import run as notebook_run

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_FILES = sorted(ROOT.joinpath("notebooks").glob("*.ipynb"))
STDERR = 'data-mime-type="application/vnd.jupyter.stderr"'  # nbconvert's mark of stderr and errors
# The lecture's order, which the notebook follows.
SECTIONS = ["A neuron and a layer", "Activation functions", "One step of back-propagation",
            "Stochastic gradient descent", "The lecture's network on MNIST", "Representations",
            "What does the network look at?"]


# --- the committed notebooks ---------------------------------------------------------------------

def test_both_notebooks_are_committed():
    assert [p.name for p in NOTEBOOK_FILES] == ["TP1-solutions.ipynb", "TP1.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_committed_notebooks_carry_no_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [n for n, cell in enumerate(nb["cells"], 1) if cell["cell_type"] == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None
                  or "execution" in cell.get("metadata", {}))]
    assert not dirty, (f"{path.name}: cells {dirty} keep outputs or execution counts; edit "
                       f"src/dl101/notebook/TP1.md and run 'python notebooks/build.py' instead")


@pytest.mark.parametrize("solutions", [False, True], ids=["TP1", "TP1-solutions"])
def test_committed_notebooks_are_what_their_source_builds(solutions):
    path = ROOT / "notebooks" / file_name("TP1", solutions)
    assert path.read_text(encoding="utf-8") == dumps(build("TP1", solutions)), (
        f"{path.name} differs from src/dl101/notebook/TP1.md: edit the source, then run "
        f"'python notebooks/build.py'")


def test_solutions_are_the_notebook_plus_one_solution_per_exercise():
    students, solutions = build("TP1"), build("TP1", solutions=True)
    tagged = [c for c in solutions.cells if "solution" in c.metadata.get("tags", [])]
    assert [c for c in solutions.cells if c not in tagged] == students.cells
    exercises = [n for n, c in enumerate(solutions.cells) if c.source.startswith("### Your turn")]
    assert len(exercises) == len(SECTIONS)
    for n in exercises:  # the exercise, the students' cell, then the solution
        assert solutions.cells[n + 2] in tagged, solutions.cells[n].source


def test_sections_follow_the_lecture():
    headings = [c.source.splitlines()[0] for c in build("TP1").cells
                if c.cell_type == "markdown" and c.source.startswith("## ")]
    for number, (heading, section) in enumerate(zip(headings, SECTIONS), 1):
        assert heading.startswith(f"## {number}. {section}"), heading


def test_source_blocks_become_cells():
    text = ("# T\n\nProse with a shell example:\n\n```bash\n# not a heading\ndl101 mnist\n```\n"
            "## A heading starts a cell\n\n```python\nx = 1\n```\n"
            "```python solution\nx = 2\n```\n```markdown solution\n**why**\n```\nEnd.")
    assert [(c.kind, c.solution, c.source) for c in parse(text)] == [
        ("markdown", False, "# T\n\nProse with a shell example:\n\n```bash\n# not a heading\n"
                            "dl101 mnist\n```"),
        ("markdown", False, "## A heading starts a cell"),
        ("code", False, "x = 1"), ("code", True, "x = 2"), ("markdown", True, "**why**"),
        ("markdown", False, "End.")]
    with pytest.raises(ValueError, match="never closed"):
        parse("```python\nx = 1\n")


def test_builds_are_reproducible_and_name_lookup_is_case_blind():
    assert dumps(build("tp1")) == dumps(build("TP1")) and set(NOTEBOOKS) == {"tp1"}


# --- the HTML page, without a kernel ------------------------------------------------------------

PIXEL = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def test_html_embeds_images_draws_formulas_as_mathml_and_loads_nothing():
    cell = nbformat.v4.new_code_cell("plot()", execution_count=1, outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": PIXEL, "text/plain": "<Figure>"})])
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(r"# Title" "\n" r"Inline $x_i = \sigma_i(A_i x_{i-1} + b_i)$ and"
                                      "\n" r"$$\frac{\partial l}{\partial A_3}$$"), cell])
    page = to_html(nb, "T")
    assert f'src="data:image/png;base64,{PIXEL}"' in page
    assert page.count("<math") == 2 and "<mfrac>" in page and r"\sigma" not in page
    assert external_loads(page) == [] and "<script src" not in page


@pytest.mark.parametrize("snippet", [
    '<script src="https://cdn.example/require.js"></script>',
    "<link rel='stylesheet' href='http://fonts.example/css'>",
    '<img alt="x" src=//cdn.example/x.png>',
    '<style>body { background: url("https://example.org/bg.png") }</style>',
    '<style>@import "https://example.org/font.css";</style>',
])
def test_external_loads_are_found(snippet):
    assert len(external_loads(f"<html><body>{snippet}</body></html>")) == 1


def test_links_and_embedded_data_are_not_loads():
    page = ('<a href="https://example.org">the lecture</a><img src="data:image/png;base64,AAAA">'
            '<math xmlns="http://www.w3.org/1998/Math/MathML"></math><p>see https://example.org</p>')
    assert external_loads(page) == []


# --- the command's errors -------------------------------------------------------------------------

def test_a_missing_package_names_the_extra(monkeypatch, capsys):
    monkeypatch.setattr(notebook_run, "NEEDS", ("nbformat", "dl101_no_such_package"))
    assert cli.main(["notebook", "TP1"]) == 2
    err = capsys.readouterr().err
    assert "dl101_no_such_package" in err and "[notebook]'" in err and "pip install -e '" in err


@pytest.mark.parametrize("args, message", [
    (["TP2"], "unknown notebook 'TP2'; valid names: tp1"),
    (["missing.ipynb"], "no notebook file missing.ipynb"),
    (["pyproject.toml"], "pyproject.toml is not a notebook file"),
    (["notebooks/TP1.ipynb", "--solutions"], "--solutions picks TP1's solutions by name"),
    (["TP1", "--timeout", "0"], "--timeout must be a finite number > 0"),
])
def test_bad_arguments_fail_clearly(args, message, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert cli.main(["notebook", *args]) == 2
    assert message in capsys.readouterr().err


def test_installed_package_builds_the_notebook_from_its_source(monkeypatch):
    from dl101.commands import notebook as command
    monkeypatch.setattr("dl101.notebook.checkout_notebooks", lambda: None)
    nb, title, path = command.locate("TP1", solutions=True)
    assert (title, path) == ("TP1-solutions", None) and nb == build("TP1", solutions=True)


def test_a_failing_cell_is_named_with_its_section_lines_and_exception(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## 2. Activations"),
        nbformat.v4.new_code_cell("import dl101\nprint(dl101.__file__)"),
        nbformat.v4.new_code_cell("scores = [1, 2]\n\ndef mean(xs):\n    return sum(xs) / len(xs)\n\n"
                                  "print(mean(scores))\nprint(mean([]))\nprint('never')")])
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    result = run_cli("notebook", path, "--html", tmp_path / "broken.html", timeout=300)
    assert result.returncode == 2, result.stderr
    assert ("broken: code cell 2 (cell 3 of 3, section '2. Activations') failed: "
            "ZeroDivisionError: division by zero") in result.stderr
    assert re.search(r"^-->\s+7 \| print\(mean\(\[\]\)\)$", result.stderr, re.M), result.stderr
    assert "print('never')" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "broken.html").exists()


def test_progress_names_each_cell_and_html_into_a_new_folder(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## 1. A neuron"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell(""),  # empty: not run, not counted
        nbformat.v4.new_markdown_cell("## 2. A layer"),
        nbformat.v4.new_code_cell("print(x + 1)")])
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, path)
    result = run_cli("notebook", path, "--html", f"{tmp_path}/new/folder/", timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"tiny: starting a fresh kernel ({path})"
    assert re.fullmatch(r"cell 1/2  1\. A neuron \.\.\. \d+\.\d s", lines[1]), lines
    assert re.fullmatch(r"cell 2/2  2\. A layer \.\.\. \d+\.\d s", lines[2]), lines
    assert re.fullmatch(r"tiny: 5 cells ran in [\d.]+ s; slowest: cell \d/2 \(\d\. A \w+\), [\d.]+ s", lines[3])
    assert (tmp_path / "new" / "folder" / "tiny.html").is_file() and f"wrote {tmp_path}/new/folder/tiny.html" in lines[4]


def test_slow_cells_are_marked_and_the_slowest_named():
    from dl101.commands.notebook import SLOW, Progress
    said = []
    progress = Progress(print=lambda *text, end="\n", flush=False: said.append("".join(text) + end))
    progress(1, 12, "1. A neuron", None)
    progress(1, 12, "1. A neuron", 0.25)
    progress(2, 12, "9. SHAP", None)
    progress(2, 12, "9. SHAP", SLOW + 1)
    assert "".join(said) == f"cell  1/12  1. A neuron ... 0.2 s\ncell  2/12  9. SHAP ... {SLOW + 1:.1f} s  (slow)\n"
    assert progress.slowest() == f"cell 2/12 (9. SHAP), {SLOW + 1:.1f} s"


@pytest.mark.parametrize("html, folder", [("out/", True), ("out", False), ("out/TP1.html", False),
                                          ("existing", True)])
def test_html_names_a_file_or_a_folder(tmp_path, monkeypatch, html, folder):
    from dl101.commands.notebook import html_path
    monkeypatch.chdir(tmp_path)
    (tmp_path / "existing").mkdir()
    expected = Path(html) / "TP1.html" if folder else Path(html)
    assert html_path(html, "TP1") == expected


def test_the_handout_names_no_folder_of_the_machine_that_ran_it():
    from dl101.notebook.html import without_private_paths
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(mnist)", outputs=[
        nbformat.v4.new_output("stream", name="stdout",
                               text="Dataset('mnist', from cache /home/ann/.cache/dl101/mnist)\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "'/home/ann/notes.txt'"})])])
    clean = without_private_paths(nb, {"/home/ann/.cache/dl101": "<dl101 cache>", "/home/ann": "~"})
    assert clean.cells[0].outputs[0].text == "Dataset('mnist', from cache <dl101 cache>/mnist)\n"
    assert clean.cells[0].outputs[1].data["text/plain"] == "'~/notes.txt'"
    assert "/home/ann" in nb.cells[0].outputs[0].text  # the notebook itself is left as it ran


def test_a_cell_over_the_timeout_is_named(tmp_path):
    path = tmp_path / "slow.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(60)")]),
                   path)
    result = run_cli("notebook", path, "--timeout", "2", timeout=300)
    assert result.returncode == 2
    assert "slow: code cell 1 (cell 1 of 1) failed: still running after the timeout of 2 s" in result.stderr


def test_a_dying_kernel_is_named_with_what_it_printed(tmp_path):
    path = tmp_path / "dies.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, sys\nprint('out of memory, say', file=sys.__stderr__, flush=True)\nos._exit(3)")]), path)
    result = run_cli("notebook", path, timeout=300)
    assert result.returncode == 2
    assert "dies: code cell 1 (cell 1 of 1) failed: the kernel died" in result.stderr
    assert "kernel: out of memory, say" in result.stderr


# --- TP1 itself, run top to bottom as CI runs it ---------------------------------------------------

@pytest.fixture(scope="session", params=[False, True], ids=["TP1", "TP1-solutions"])
def executed(request, tmp_path_factory):
    """``dl101 notebook TP1 [--solutions] --html OUT`` in a subprocess: (the result, the page, seconds)."""
    out = tmp_path_factory.mktemp("html") / (file_name("TP1", request.param).replace(".ipynb", ".html"))
    start = time.perf_counter()
    result = run_cli("notebook", "TP1", *(["--solutions"] if request.param else []), "--html", out,
                     timeout=900)
    seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stderr[-3000:]
    return result, out, seconds


@pytest.mark.slow
def test_notebook_runs_top_to_bottom_and_exports_one_self_contained_page(executed):
    result, out, seconds = executed
    assert re.search(r"cells ran in [\d.]+ s", result.stdout) and f"wrote {out}" in result.stdout
    page = out.read_text(encoding="utf-8")
    assert external_loads(page) == []
    assert "<script src" not in page and "cdnjs" not in page and "mathjax" not in page.lower()
    assert page.count(" src=\"data:image/png;base64,") >= 10  # figures, embedded
    assert STDERR not in page, "a cell wrote to stderr or raised: " + page[page.find(STDERR):][:1500]
    assert str(Path.home()) not in page and "&lt;dl101 cache&gt;/mnist" in page  # print(mnist) names it
    assert seconds < 600  # "a few minutes" on CI's two cores; about one on a laptop


@pytest.mark.slow
def test_tp1_html_renders_in_chromium(executed, tmp_path):
    result, out, _ = executed
    with chromium() as browser:
        browser.get(out.as_uri())
        height = browser.execute_script("return document.documentElement.scrollHeight")
        images = browser.execute_script(
            "return [...document.images].map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
        stderr = browser.execute_script(f"return document.querySelectorAll('[{STDERR}]').length")
        fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        formulas = browser.execute_script(
            "return [...document.querySelectorAll('math')].map(m => m.getBoundingClientRect().width)")
        text = browser.execute_script("return document.body.innerText")
        title = browser.title
        shot = tmp_path / (out.stem + ".png")
        assert browser.save_screenshot(str(shot))
        console = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert title.startswith("TP1")
    assert height > 8000, f"the page is only {height} px high: did the notebook render?"
    assert len(images) >= 10 and all(done and w > 0 and h > 0 for done, w, h in images), images
    assert stderr == 0, "the page shows error or stderr outputs"
    assert [url for url in fetched if not url.startswith(("data:", "file:"))] == []
    assert console == [], console
    assert len(formulas) > 20 and min(formulas) > 0  # MathML drawn, not left as TeX
    assert "\\sigma" not in text and "## " not in text
    assert "1. A neuron and a layer" in text and "Your turn (7)" in text
    colours = screenshot_colours(shot)
    assert colours > 50, f"the screenshot {shot} has {colours} colours: blank?"


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1280,2000"]


class chromium:
    """Debian's headless Chromium driven by selenium through Debian's chromedriver, a fresh profile
    each time; selenium is given both paths, so it never downloads a browser or a driver."""

    def __enter__(self):
        browser, driver = require_chromium()
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        self.profile = tempfile.mkdtemp(prefix="dl101-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={self.profile}"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(executable_path=driver), options=options)
        self.driver.set_page_load_timeout(120)
        return self.driver

    def __exit__(self, *exc):
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)


def screenshot_colours(path):
    from PIL import Image
    with Image.open(path) as image:
        return len(image.convert("RGB").getcolors(maxcolors=1 << 20) or [])
