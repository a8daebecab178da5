"""The rule for tests that need Debian's packages: skip naming the apt-get line, unless
DL101_REQUIRE_SYSTEM=1 (CI), where they fail instead."""

import pytest

import system


@pytest.fixture
def nothing_installed(monkeypatch, tmp_path):
    monkeypatch.setattr(system, "FASHION_MNIST", tmp_path / "absent")
    monkeypatch.setattr(system, "CHROMIUM_DRIVERS", [])
    monkeypatch.setattr(system.shutil, "which", lambda name: None)


@pytest.mark.parametrize("require, packages", [
    (system.require_fashion_mnist, "apt-get install -y dataset-fashion-mnist"),
    (system.require_chromium, "apt-get install -y chromium chromium-driver"),
])
def test_absent_packages_skip_naming_the_install_line_or_fail_in_ci(nothing_installed, monkeypatch,
                                                                    require, packages):
    monkeypatch.delenv(system.REQUIRE, raising=False)
    with pytest.raises(pytest.skip.Exception, match=packages):
        require()
    monkeypatch.setenv(system.REQUIRE, "1")
    with pytest.raises(pytest.fail.Exception, match=f"{packages} .*DL101_REQUIRE_SYSTEM=1"):
        require()


def test_present_packages_are_returned(monkeypatch, tmp_path):
    monkeypatch.setattr(system, "FASHION_MNIST", tmp_path)
    assert system.require_fashion_mnist() == tmp_path
    monkeypatch.setattr(system.shutil, "which", lambda name: f"/bin/{name}")
    assert system.require_chromium() == ("/bin/chromium", "/bin/chromedriver")


def test_ci_sets_the_variable_before_the_tests():
    from test_repo import ROOT
    ci = ROOT.joinpath(".ci", "run").read_text().strip().splitlines()
    assert f"export {system.REQUIRE}=1" in ci[:-1]
