"""The docs' code runs: the blocks of docs/api.md, in order, in one namespace, as a reader would."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_api_tour_runs_in_order(capsys):
    text = ROOT.joinpath("docs", "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```$", text, re.S | re.M)
    assert len(blocks) >= 6
    namespace = {}
    for n, block in enumerate(blocks, 1):
        exec(compile(block, f"docs/api.md, block {n}", "exec"), namespace)  # noqa: S102 - our own docs
    assert namespace["result"].accuracy > 0.9                  # the moons, learnt
    assert [x.shape[1] for x in namespace["net"].latents] == [64, 32, 16, 4]
    assert "PASSED" in capsys.readouterr().out


def test_docs_link_to_files_that_exist():
    for doc in ["README.md", "docs/api.md", "docs/notebook.md"]:
        text = ROOT.joinpath(doc).read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:]+)\)", text):  # relative links only
            assert (ROOT / doc).parent.joinpath(target).exists(), f"{doc} links to missing {target}"
