"""The playground in a real browser: Debian's Chromium driven by selenium through Debian's
chromedriver, against the real server started as `dl101 playground` is. Moons learnt to 95% test
accuracy within a bounded number of SGD steps (steps, never seconds), the decision regions
redrawn, the back-propagation stepper walked through every frame, errors shown on the page, a
focused page, and a digit drawn with pointer events on a run of the digits job. The screenshots
are the docs' (docs/playground/), refreshed on request.

Without Chromium these tests skip, naming the packages to install, unless DL101_REQUIRE_SYSTEM=1
(as in CI, where .ci/run installs them): then they fail (tests/system.py). The screenshots are
written to docs/playground/ only with DL101_SCREENSHOTS=docs/playground."""

import math
import os
import re
import tempfile
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The docs' screenshots are refreshed with DL101_SCREENSHOTS=docs/playground; a plain run writes them
# to a temporary folder, so that running the tests never changes the checkout.
SHOTS = Path(os.environ.get("DL101_SCREENSHOTS") or tempfile.mkdtemp(prefix="dl101-playground-shots-"))
MAX_STEPS = 2000   # moons must reach 95% test accuracy within this many SGD steps


from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.select import Select  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402
from system import require_chromium  # noqa: E402
from test_notebook import chromium, screenshot_colours  # noqa: E402  (one Chromium set-up)


@pytest.fixture(autouse=True, scope="module")
def browser():
    """Chromium and its driver, or the one rule of tests/system.py: skip naming the apt-get line,
    or fail under DL101_REQUIRE_SYSTEM=1."""
    return require_chromium()

GUARD = 300  # seconds: only so that a broken page cannot hang the suite; nothing is timed


class Server:
    """`python -m dl101 playground --no-browser` in a subprocess, on a free port."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dl101", "playground", "--no-browser", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        self.url = self.process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=\w+", self.url), (
            self.url, self.process.stderr.read() if self.process.poll() is not None else "")

    def stop(self):
        self.process.terminate()
        _, err = self.process.communicate(timeout=30)
        assert "Traceback" not in err, err


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.stop()


@pytest.fixture
def page(server):
    with chromium() as driver:
        yield driver
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == [], errors


def open_page(driver, url, query=""):
    driver.get(url + query)
    wait(driver, lambda d: d.find_element(By.ID, "metrics").get_attribute("data-loss") != "")
    return driver


def wait(driver, condition):
    return WebDriverWait(driver, GUARD, poll_frequency=0.05).until(condition)


def play_until(driver, reached, limit):
    """Play until ``reached(step, accuracy, sup error)`` holds for a frame, or ``limit`` steps;
    then pause. Returns that frame's (step, test accuracy, sup error): what was met, not what a
    few more steps made of it while the pause went through."""
    seen = []

    def done(d):
        step, accuracy = metrics(d)
        seen.append((step, accuracy, sup_error(d)))
        return reached(*seen[-1]) or step >= limit

    driver.find_element(By.ID, "play").click()
    wait(driver, done)
    driver.find_element(By.ID, "play").click()
    wait(driver, lambda d: d.find_element(By.ID, "play").get_attribute("data-playing") == "false")
    return seen[-1]


def sup_error(driver):
    value = driver.find_element(By.ID, "metrics").get_attribute("data-sup-error")
    return float(value) if value else None


def metrics(driver):
    m = driver.find_element(By.ID, "metrics")
    accuracy = m.get_attribute("data-test-accuracy")
    return int(m.get_attribute("data-step")), float(accuracy) if accuracy else None


def set_input(driver, element_id, value):
    """Type a value and leave the field, as a user does: its change event sends it."""
    driver.execute_script("const e = document.getElementById(arguments[0]); e.value = arguments[1];"
                          "e.dispatchEvent(new Event('change'));", element_id, str(value))


def canvas_pixels(driver, element_id):
    return driver.execute_script("return document.getElementById(arguments[0]).toDataURL();", element_id)


def shoot(driver, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    from PIL import Image
    height = driver.execute_script("return Math.ceil(document.querySelector('main').getBoundingClientRect().bottom)") + 8
    with Image.open(path) as image:   # the page, without the empty window below it
        image.crop((0, 0, image.width, min(image.height, height))).save(path)
    assert screenshot_colours(path) > 50, f"{path} looks blank"
    return path


def test_moons_learnt_within_a_bounded_number_of_steps(server, page):
    open_page(page, server.url, "&dataset=circles")
    Select(page.find_element(By.ID, "dataset")).select_by_value("moons")
    wait(page, lambda d: d.find_element(By.ID, "share").get_attribute("value").startswith("?dataset=moons"))
    set_input(page, "lr", 0.1)
    set_input(page, "spf", 10)
    wait(page, lambda d: "lr=0.1" in d.current_url and "spf=10" in d.current_url)
    before = canvas_pixels(page, "regions")
    assert metrics(page)[0] == 0 and metrics(page)[1] < 0.95
    step, accuracy, _ = play_until(page, lambda step, accuracy, _: accuracy >= 0.95, MAX_STEPS)
    assert accuracy >= 0.95, f"test accuracy {accuracy} after {step} steps"
    assert step <= MAX_STEPS + 10
    step, accuracy = metrics(page)                                 # where the pause left it
    assert canvas_pixels(page, "regions") != before                # the regions were redrawn
    assert page.execute_script("return window.dl101.frames") > 5
    assert f"steps={step}" in page.current_url                     # the URL holds the run
    shoot(page, "moons")
    # the link replays the run exactly: the same steps, the same test accuracy
    replay = page.current_url
    open_page(page, replay)
    wait(page, lambda d: metrics(d)[0] == step)
    assert metrics(page) == (step, accuracy)


def test_the_stepper_walks_every_frame(server, page):
    open_page(page, server.url, "&dataset=moons&hidden=4,3&act=tanh,relu&steps=30")
    page.find_element(By.ID, "walk").click()
    stepper = page.find_element(By.ID, "stepper")
    wait(page, lambda d: stepper.is_displayed() and stepper.get_attribute("data-stage") == "0")
    stages = int(stepper.get_attribute("data-stages"))
    assert stages == 3 * 3 + 2                                      # L = 3 layers
    wait(page, lambda d: metrics(d)[0] == 31)                      # the step walked was taken
    seen = []
    for stage in range(stages):
        wait(page, lambda d: stepper.get_attribute("data-stage") == str(stage))
        text = page.find_element(By.ID, "stepper-text").text
        assert "=" in text and re.search(r"-?\d+\.\d+", text), text
        seen.append(text.splitlines()[0])
        if stage == 5:
            shoot(page, "stepper")
        page.find_element(By.ID, "stepper-next").click()
    assert seen[0].startswith("Forward, layer 1") and seen[3].startswith("The loss")
    assert seen[5].startswith("Layer 3: the gradients") and seen[6].startswith("Layer 3 hands")
    assert seen[-1].startswith("The update")
    assert "θ ← θ − λ∇θ" in page.find_element(By.ID, "stepper-text").text
    # a weight's edge, hovered, shows its value and the neuron's formula
    edge = page.find_elements(By.CSS_SELECTOR, "#network line.edge")[0]
    ActionChains(page).move_to_element(edge).perform()
    tooltip = page.find_element(By.ID, "tooltip")
    wait(page, lambda d: tooltip.is_displayed())
    assert re.search(r"\[A₁\]_\{\d,\d\} = -?\d", tooltip.text), tooltip.text
    assert re.search(r"x₁\^\d = σ₁\(Σ_l \[A₁\]_\{l,\d\} x₀\^l \+ \[b₁\]_\d\)", tooltip.text), tooltip.text


def test_a_bias_edited_by_hand(server, page):
    open_page(page, server.url, "&dataset=circles&hidden=3&act=tanh")
    bias = page.find_element(By.CSS_SELECTOR, '#network rect.bias[data-i="1"][data-k="2"]')
    bias.click()
    editor = page.find_element(By.ID, "editor")
    wait(page, lambda d: editor.is_displayed())
    assert page.find_element(By.ID, "editor-label").text == "[b1]_3 ="
    set_input(page, "edit-value", -1.25)
    page.find_element(By.ID, "edit-apply").click()
    wait(page, lambda d: d.execute_script("return window.dl101.frame.arrays.b1.data[2]") == -1.25)
    ActionChains(page).move_to_element(bias).perform()
    assert "[b₁]_3 = -1.2500" in page.find_element(By.ID, "tooltip").text


def test_errors_show_on_the_page_and_the_session_goes_on(server, page):
    open_page(page, server.url, "&dataset=moons")
    set_input(page, "batch-size", 100000)
    message = page.find_element(By.ID, "message")
    wait(page, lambda d: message.is_displayed())
    assert "bs: 100000 is out of range" in message.text or "larger than" in message.text
    page.find_element(By.ID, "step").click()
    wait(page, lambda d: metrics(d)[0] == 1)
    # divergence: dl101's message and a smaller lr to try, one click away
    open_page(page, server.url, "&dataset=regression&hidden=8&act=linear&lr=5&bs=32&opt=sgd&spf=20")
    message = page.find_element(By.ID, "message")
    page.find_element(By.ID, "play").click()
    wait(page, lambda d: message.is_displayed() and "diverged" in message.text)
    assert "lr=5" in message.text and "try lr=0.1" in message.text
    shoot(page, "diverged")
    page.find_element(By.ID, "use-suggested-lr").click()
    wait(page, lambda d: "lr=0.1&" in d.current_url + "&" and metrics(d)[0] == 0)


def test_clicked_points_and_an_uploaded_csv(server, page, tmp_path):
    open_page(page, server.url, "&dataset=moons&n=100")
    page.find_element(By.ID, "click-points").click()
    Select(page.find_element(By.ID, "point-class")).select_by_value("1")
    regions = page.find_element(By.ID, "regions")
    ActionChains(page).move_to_element_with_offset(regions, -100, -100).click().perform()
    points = "const a = window.dl101.data.arrays; return a.x_train.shape[0] + a.x_test.shape[0];"
    wait(page, lambda d: "dataset=points" in d.current_url and d.execute_script(points) == 101)
    page.find_element(By.ID, "undo-point").click()
    wait(page, lambda d: d.execute_script(points) == 100)
    bad = tmp_path / "mine.csv"
    bad.write_text("x1,x2,label\n0,1,0\n2,oops,1\n")
    page.find_element(By.ID, "upload").send_keys(str(bad))
    message = page.find_element(By.ID, "message")
    wait(page, lambda d: message.is_displayed())
    assert "mine.csv, line 3: x1 and x2 must be numbers" in message.text
    good = tmp_path / "ring.csv"
    good.write_text("".join(f"{math.cos(t / 7):.3f},{math.sin(t / 7):.3f},{int(t > 20)}\n" for t in range(44)))
    page.find_element(By.ID, "upload").send_keys(str(good))
    wait(page, lambda d: "dataset=csv" in d.current_url)
    page.find_element(By.ID, "step").click()
    wait(page, lambda d: metrics(d)[0] == 1)


def test_a_focused_page_hides_controls(server, page):
    open_page(page, server.url, "&dataset=xor&hide=controls,editing,save,representations")
    assert not page.find_element(By.ID, "controls").is_displayed()
    assert not page.find_element(By.ID, "layers").is_displayed()
    assert not page.find_element(By.ID, "representations-panel").is_displayed()
    assert page.find_element(By.ID, "network").is_displayed()
    assert page.find_element(By.ID, "regions").is_displayed()
    shoot(page, "focused")


def test_regression_fits_with_tanh_and_fails_with_z_squared(server, page):
    """The universal approximation view: g(x) = C σ(Ax + b) with 16 neurons follows the target
    with σ = tanh; with σ(z) = z² (a polynomial) g stays a parabola, however long it trains."""
    open_page(page, server.url, "&dataset=regression&hidden=16&act=tanh&lr=0.01&bs=32&opt=adam&spf=50")
    assert sup_error(page) > 0.5
    steps, _, error = play_until(page, lambda step, accuracy, error: error < 0.3, 8000)
    assert error < 0.3 and steps <= 8000 + 50
    shoot(page, "regression")
    Select(page.find_element(By.CSS_SELECTOR, "#layers select")).select_by_value("square")
    wait(page, lambda d: "act=square" in d.current_url and metrics(d)[0] == 0)
    _, _, error = play_until(page, lambda step, accuracy, error: step >= steps, steps)
    assert error > 0.5


def test_the_lecture_network_on_mnist(server, page):
    """The preset 784-16-8-4 on MNIST's 0-3, the network the lecture draws, trained live."""
    open_page(page, server.url, "&dataset=digits&hidden=32")
    Select(page.find_element(By.ID, "dataset")).select_by_value("mnist")
    wait(page, lambda d: "dataset=mnist" in d.current_url)
    Select(page.find_element(By.ID, "preset")).select_by_value("784-16-8-4")
    info = page.find_element(By.ID, "data-info")
    wait(page, lambda d: "widths 784-16-8-4" in info.text)
    set_input(page, "spf", 20)
    wait(page, lambda d: "spf=20" in d.current_url)
    step, accuracy, _ = play_until(page, lambda step, accuracy, _: accuracy >= 0.95, MAX_STEPS)
    assert accuracy >= 0.95 and step <= MAX_STEPS + 20
    canvas = page.find_element(By.ID, "draw-canvas")
    draw_stroke(page, canvas, [(round(45 * math.sin(t)), round(-70 * math.cos(t)))
                               for t in [2 * math.pi * j / 24 for j in range(25)]])
    prediction = page.find_element(By.ID, "prediction")
    wait(page, lambda d: prediction.get_attribute("data-drawn") == "true")
    assert prediction.get_attribute("data-class") in ["0", "1", "2", "3"]
    shoot(page, "mnist")


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("playground") / "digits"
    subprocess.run([sys.executable, "-m", "dl101", "mnist", "--dataset", "digits", "--epochs", "5",
                    "--lr", "0.1", "--batch-size", "16", "--out", str(folder), "--no-figures"],
                   check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    return folder


def draw_stroke(driver, canvas, points):
    """Press, move through ``points`` (offsets from the canvas centre) and release: pointer events."""
    chain = ActionChains(driver).move_to_element_with_offset(canvas, *points[0]).click_and_hold()
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        chain.move_by_offset(x1 - x0, y1 - y0)
    chain.release().perform()


def test_draw_a_digit_on_a_run(digits_run):
    run_server = Server("--run", str(digits_run))
    try:
        with chromium() as driver:
            open_page(driver, run_server.url)
            assert "(from the run folder)" in driver.find_element(By.ID, "data-info").text
            assert metrics(driver)[0] == 5 * 90 and metrics(driver)[1] > 0.85
            canvas = driver.find_element(By.ID, "draw-canvas")
            # a "0": one stroke round an ellipse
            draw_stroke(driver, canvas, [(round(45 * math.sin(t)), round(-70 * math.cos(t)))
                                         for t in [2 * math.pi * j / 24 for j in range(25)]])
            prediction = driver.find_element(By.ID, "prediction")
            wait(driver, lambda d: prediction.get_attribute("data-drawn") == "true")
            assert prediction.get_attribute("data-class") in [str(d) for d in range(10)]
            assert re.search(r"your drawing: \d \(\d+\.\d%\)", prediction.text)
            completeness = driver.find_element(By.ID, "completeness").text
            assert "completeness error" in completeness
            assert float(re.search(r"error (-?[\d.]+)%", completeness).group(1)) < 5
            shoot(driver, "digits")
            errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
            assert errors == [], errors
    finally:
        run_server.stop()


def test_the_benchmark_measures_frame_rates(tmp_path):
    """A smoke run of `python -m benchmarks.playground --quick`: both cases measured, server side
    and in Chromium (the numbers are reported, never asserted)."""
    import json
    done = subprocess.run([sys.executable, "-m", "benchmarks.playground", "--quick", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "playground.json").read_text())
    assert results["quick"] and len(results["cases"]) == 2
    for case in results["cases"].values():
        assert case["server"]["frames_per_second"] > 0 and case["chromium"]["frames_per_second"] > 0
    assert "| moons 2-8-8-2, every neuron's map | 1 |" in (tmp_path / "playground.md").read_text()
