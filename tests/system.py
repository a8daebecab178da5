"""What some tests need beyond Python, and the one rule for when it is absent.

Two tests' needs come from Debian, not from pip: the Fashion-MNIST files (``dataset-fashion-mnist``,
a verified offline source) and Chromium with its driver (``chromium chromium-driver``, to render
TP1.html and the playground). A test asks for them through :func:`require_fashion_mnist` or
:func:`require_chromium`. When they are absent the test skips, its reason naming the
``apt-get install`` line; with ``DL101_REQUIRE_SYSTEM=1``, which ``.ci/run`` sets after installing
them, it fails instead, so CI never skips them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REQUIRE = "DL101_REQUIRE_SYSTEM"
FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")
CHROMIUM_DRIVERS = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]


def absent(what: str, packages: str):
    """Skip the calling test (or fail it, under ``DL101_REQUIRE_SYSTEM=1``), naming the fix."""
    message = f"{what} is absent: apt-get install -y {packages}"
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{message} ({REQUIRE}=1: this run must not skip it)", pytrace=False)
    pytest.skip(message)


def require_fashion_mnist() -> Path:
    """Debian's Fashion-MNIST folder, or :func:`absent`."""
    if not FASHION_MNIST.is_dir():
        absent(f"Debian's Fashion-MNIST ({FASHION_MNIST})", "dataset-fashion-mnist")
    return FASHION_MNIST


def require_chromium() -> tuple[str, str]:
    """(the Chromium binary, its chromedriver), or :func:`absent`."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or next((d for d in CHROMIUM_DRIVERS if Path(d).is_file()), None)
    if not browser or not driver:
        absent(f"Chromium or its driver (chromium: {browser}, chromedriver: {driver})",
               "chromium chromium-driver")
    return browser, driver
