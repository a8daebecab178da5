"""Running a notebook top to bottom in a fresh kernel, as a student's "Restart & Run All" does.

The kernel is this Python (``sys.executable``), whatever Jupyter kernels are installed, and it
imports the same dl101 as the caller. A cell that fails stops the run with a
:class:`NotebookError` naming the cell, its section and the exception, above the cell's lines.
"""

from __future__ import annotations

import os
import re
import site
import sys
from pathlib import Path

from ..checks import Dl101Error

# what `dl101 notebook` imports, and what the session's own cells import beyond dl101's dependencies
NEEDS = ("nbformat", "nbclient", "nbconvert", "ipykernel", "latex2mathml", "shap")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class NotebookError(Dl101Error):
    """A notebook did not run to the end: which cell failed, and how."""


def require(packages=None):
    """Fail with one message naming the notebook extra when any package of ``packages`` (by
    default :data:`NEEDS`) is missing."""
    from .. import extras
    missing = [p for p in packages or NEEDS if not extras.available(p)]
    if missing:  # an unknown package is the notebook's too
        raise Dl101Error(f"dl101 notebook needs {', '.join(missing)}, which "
                         f"{'is' if len(missing) == 1 else 'are'} not installed: {extras.hint('notebook')}")


def kernel_environment() -> dict:
    """The caller's environment, plus the folder holding this dl101 on PYTHONPATH when it is a
    source checkout (an installed dl101 is found by the kernel's Python as it is)."""
    import dl101
    env = dict(os.environ)
    folder = Path(dl101.__file__).resolve().parents[1]
    site_folders = {Path(p).resolve() for p in [*site.getsitepackages(), site.getusersitepackages()]}
    if folder not in site_folders:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(folder), env.get("PYTHONPATH")) if p)
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"  # figures as outputs, even if
    return env                                                        # the caller set Agg


def kernel_manager_class():
    """A kernel manager that starts ``sys.executable -m ipykernel_launcher``: this Python, not
    whichever interpreter a ``python3`` kernel installed elsewhere would name."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                              display_name="Python 3", language="python")

    class ThisPythonKernel(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _this_python(self):
            return ThisPython()

    return ThisPythonKernel


def execute(nb, name: str, cwd, timeout: float = 600, on_cell=None):
    """Run every cell of ``nb`` in order in a fresh kernel started in ``cwd``; ``nb`` receives the
    outputs. ``timeout`` bounds each cell, in seconds. Raises :class:`NotebookError`.

    ``on_cell(k, n, section, seconds)`` hears each of the ``n`` code cells as it starts
    (``seconds`` None) and when it is done (its wall time), ``k`` counting from 1.

    What the kernel process itself prints (not the cells' outputs: its start-up warnings, a crash)
    is kept aside and shown only if the kernel dies or does not start.
    """
    require()
    import tempfile

    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    import time

    current = {"index": None, "k": 0, "start": None}
    n_code = sum(c.cell_type == "code" and bool(c.source.strip()) for c in nb.cells)
    report = on_cell or (lambda *_: None)

    def on_cell_start(cell, cell_index):
        current["index"] = cell_index

    def on_cell_execute(cell, cell_index):
        current["k"] += 1
        current["start"] = time.perf_counter()
        report(current["k"], n_code, section(nb, cell_index), None)

    def on_cell_executed(cell, cell_index, execute_reply):
        report(current["k"], n_code, section(nb, cell_index), time.perf_counter() - current["start"])

    client = NotebookClient(nb, kernel_manager_class=kernel_manager_class(), timeout=timeout,
                            on_cell_start=on_cell_start, on_cell_execute=on_cell_execute,
                            on_cell_executed=on_cell_executed, resources={"metadata": {"path": str(cwd)}})
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as kernel_log:
        def problem(what):  # with the last lines the kernel process printed
            kernel_log.seek(0)
            said = "".join(f"\n    kernel: {line}" for line in kernel_log.read().strip().splitlines()[-10:])
            return failure(nb, name, current["index"], what + said)
        try:
            client.execute(env=kernel_environment(), stdout=kernel_log, stderr=kernel_log)
        except CellExecutionError as err:
            raise NotebookError(failure(nb, name, current["index"], f"{err.ename}: {err.evalue}")) from None
        except CellTimeoutError:
            raise NotebookError(failure(nb, name, current["index"],
                                        f"still running after the timeout of {timeout:g} s")) from None
        except DeadKernelError:
            raise NotebookError(problem("the kernel died")) from None
        except RuntimeError as err:  # the kernel did not start
            raise NotebookError(problem(f"the kernel did not start ({err})")) from None
    return nb


def failure(nb, name, index, problem, context=3) -> str:
    """What went wrong, where: the cell's number, its section, the problem and the cell's lines
    around the one that raised (marked ``-->``)."""
    if index is None:
        return f"{name}: {problem}"
    cell = nb.cells[index]
    code_number = sum(c.cell_type == "code" for c in nb.cells[:index + 1])
    heading = section(nb, index)
    where = f", section '{heading}'" if heading else ""
    lines, bad = cell.source.splitlines(), failing_line(cell)
    first = max(0, (bad or 1) - 1 - context)
    shown = [f"{'-->' if n == bad else '   '} {n:>3} | {line}"
             for n, line in enumerate(lines[first:first + 2 * context + 1], first + 1)]
    rest = len(lines) - first - len(shown)
    more = [f"        ... ({rest} more lines)"] if rest > 0 else []
    return "\n".join([f"{name}: code cell {code_number} (cell {index + 1} of {len(nb.cells)}{where}) "
                      f"failed: {problem}", *shown, *more])


def section(nb, index) -> str:
    """The last heading above cell ``index`` ('' if none)."""
    headings = [line.lstrip("# ") for c in nb.cells[:index] if c.cell_type == "markdown"
                for line in c.source.splitlines() if line.startswith("#")]
    return headings[-1] if headings else ""


def failing_line(cell):
    """The line of ``cell`` that raised, from IPython's traceback ("Cell In[3], line 5"), if any."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            match = re.search(r"Cell In\[\d*\], line (\d+)", ANSI.sub("", "\n".join(output["traceback"])))
            if match:
                return int(match.group(1))
    return None
