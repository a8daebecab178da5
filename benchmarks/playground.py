"""``python -m benchmarks.playground``: how fast `dl101 playground` trains and draws.

- server side, in-process: frames/s and SGD steps/s of :meth:`Session.tick` (``spf`` steps, the
  curves' metrics, then a whole frame: weights, every neuron's map over the plane, the decision
  regions, the representations' PCA; for images the drawing's probabilities and integrated
  gradients), for moons 2-8-8-2 and MNIST 784-64-32-10 with a digit drawn;
- in Chromium (Debian's, through selenium): frames received (and drawn, since the server sends
  the next only once the page has drawn the last) per second, while playing, the same two cases.

Writes ``benchmarks/playground.md`` and ``benchmarks/playground.json``; ``--quick`` measures one
second per case instead of ten (a smoke run); ``--out DIR`` writes elsewhere.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CASES = {
    "moons 2-8-8-2, every neuron's map": "dataset=moons&hidden=8,8&act=tanh,tanh&lr=0.1&spf=1",
    "MNIST 784-64-32-10, a digit drawn": "dataset=mnist&hidden=64,32&act=relu,relu&subset=&lr=0.05&bs=32&spf=1",
}
TARGET = 20  # frames/s the issue asks for on the 2D sets
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1100"]


def ring(size=112):
    """A dark "0" drawn on white paper: grey levels as the page sends them."""
    yy, xx = np.mgrid[:size, :size]
    picture = np.full((size, size), 255)
    picture[np.abs(np.hypot((yy - size / 2) / 1.3, xx - size / 2) - size / 4) < size / 16] = 0
    return {"cmd": "draw", "width": size, "height": size, "pixels": picture.ravel().tolist()}


def server_side(query, seconds):
    """Frames/s and steps/s of the session's play loop (``tick``) for ``seconds``."""
    from dl101.playground.config import Config
    from dl101.playground.session import Session
    session = Session(Config.from_query(query))
    if session.problem.kind == "image":
        session.handle(ring())
    session.tick()  # warm up (the inputs' PCA is computed once per data set)
    frames, start = 0, time.perf_counter()
    steps = session.steps
    while time.perf_counter() - start < seconds:
        frame = session.tick()
        frames += 1
    elapsed = time.perf_counter() - start
    return {"frames_per_second": frames / elapsed, "steps_per_second": (session.steps - steps) / elapsed,
            "frame_bytes": len(frame), "spf": session.config.spf, "widths": session.model.widths}


def browser(query, seconds):
    """Frames per second the page receives and draws while playing, in Chromium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait
    server = subprocess.Popen([sys.executable, "-m", "dl101", "playground", "--no-browser"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    profile = tempfile.mkdtemp(prefix="dl101-bench-")
    try:
        url = server.stdout.readline().strip()
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
        for flag in [*FLAGS, f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        try:
            driver.get(f"{url}&{query}")
            WebDriverWait(driver, 300).until(
                lambda d: d.find_element(By.ID, "metrics").get_attribute("data-loss") != "")
            if "mnist" in query:
                canvas = driver.find_element(By.ID, "draw-canvas")
                chain = ActionChains(driver).move_to_element_with_offset(canvas, 0, -60).click_and_hold()
                for _ in range(6):
                    chain.move_by_offset(0, 20)
                chain.release().perform()
                WebDriverWait(driver, 60).until(lambda d: d.find_element(
                    By.ID, "prediction").get_attribute("data-drawn") == "true")
            driver.find_element(By.ID, "play").click()
            time.sleep(1)  # playing
            count = lambda: driver.execute_script("return window.dl101.frames")  # noqa: E731
            first, start = count(), time.perf_counter()
            time.sleep(seconds)
            received, elapsed = count() - first, time.perf_counter() - start
            driver.find_element(By.ID, "play").click()
            return {"frames_per_second": received / elapsed}
        finally:
            driver.quit()
    finally:
        server.terminate()
        server.communicate(timeout=30)
        shutil.rmtree(profile, ignore_errors=True)


def markdown(results):
    lines = ["# The playground's frame rates", "",
             f"Produced by `python -m benchmarks.playground{' --quick' if results['quick'] else ''}` on "
             f"{results['machine']}. Server side: `Session.tick()` in-process ({results['seconds']:g} s "
             f"per case): `spf` SGD steps, the curves' metrics, then the whole binary frame. Chromium: "
             f"frames the page received and drew per second while playing (the server sends the next "
             f"frame once the page has drawn the last). The issue's target: at least {TARGET} frames/s "
             f"for the 2D sets.", "",
             "| case | steps/frame | server frames/s | server steps/s | frame size | Chromium frames/s |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, row in results["cases"].items():
        s, b = row["server"], row["chromium"]
        shown = f"{b['frames_per_second']:.0f}" if b else "(no Chromium)"
        lines.append(f"| {name} | {s['spf']} | {s['frames_per_second']:.0f} | {s['steps_per_second']:.0f} | "
                     f"{s['frame_bytes'] / 1024:.0f} KiB | {shown} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.playground", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one second per case (a smoke run)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks"), help="folder for playground.md/json")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    seconds = 1.0 if args.quick else 10.0
    has_browser = bool(shutil.which("chromium") or shutil.which("chromium-browser")) and bool(
        shutil.which("chromedriver"))
    results = {"quick": args.quick, "seconds": seconds, "cases": {},
               "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, NumPy {np.__version__}"}
    for name, query in CASES.items():
        results["cases"][name] = {"query": query, "server": server_side(query, seconds),
                                  "chromium": browser(query, seconds) if has_browser else None}
        print(name, results["cases"][name], flush=True)
    from dl101.files import atomic_write
    for name, text in (("playground.json", json.dumps(results, indent=2) + "\n"),
                       ("playground.md", markdown(results))):
        with atomic_write(Path(args.out) / name, "w") as f:
            f.write(text)
    print(markdown(results))


if __name__ == "__main__":
    main()
