"""An executed notebook as one self-contained HTML file: it loads nothing from the network.

nbconvert's ``lab`` template would fetch require.js and MathJax from a CDN; here neither is loaded.
The formulas of the Markdown cells are turned into MathML when the page is written (with
latex2mathml), which browsers draw without any script; images are embedded as ``data:`` URIs.
:func:`external_loads` lists anything the page would still fetch, and :func:`to_html` refuses a
page with any.

>>> external_loads('<script src="https://cdn.example/x.js"></script><a href="https://a.b">a link</a>')
['https://cdn.example/x.js']
"""

from __future__ import annotations

import html
import re

from ..checks import Dl101Error

# The lab template without its <script src=...> blocks: require.js, MathJax, Mermaid, widgets.
TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""

# Attributes that make a browser fetch something (an <a href> is a link, not a load), CSS url()
# and @import, each with an absolute or protocol-relative URL.
LOADS = re.compile(
    r"""<(?:script|img|link|iframe|frame|source|audio|video|track|embed|object|input|image|use)\b"""
    r"""[^>]*?\s(?:src|href|xlink:href|data|poster|srcset)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)"""
    r"""|url\(\s*["']?\s*((?:https?:)?//[^"')\s]+)|@import\s+["']((?:https?:)?//[^"']+)""",
    re.IGNORECASE)


def external_loads(page: str) -> list[str]:
    """The URLs a browser would fetch from the network to show ``page``."""
    return [next(url for url in match.groups() if url) for match in LOADS.finditer(page)]


def mathml(tex: str, display: str) -> str:
    """LaTeX as MathML (inline or block); a formula latex2mathml cannot read stays as code."""
    from latex2mathml.converter import convert
    try:
        return convert(tex, display=display).replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "")
    except Exception:  # noqa: BLE001 - its parser raises many kinds; the page must still be written
        return f"<code>{html.escape(tex)}</code>"


def exporter():
    """nbconvert's HTML exporter with the template above, images embedded, formulas as MathML."""
    from jinja2 import DictLoader, pass_context
    from nbconvert import HTMLExporter
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    class MathMLRenderer(IPythonRenderer):
        def inline_math(self, body):
            return mathml(body, "inline")

        def block_math(self, body):
            return mathml(body, "block")

        def latex_environment(self, name, body):
            return mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", "block")

    class SelfContainedHTML(HTMLExporter):
        @pass_context
        def markdown2html(self, context, source):  # HTMLExporter's own, with the renderer above
            cell = context.get("cell", {})
            renderer = MathMLRenderer(
                escape=False, attachments=cell.get("attachments", {}), embed_images=self.embed_images,
                path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                anchor_link_text=self.anchor_link_text, exclude_anchor_links=self.exclude_anchor_links,
                **self.lexer_options)
            return MarkdownWithMath(renderer=renderer).render(source)

    return SelfContainedHTML(template_name="lab", template_file="dl101.html.j2", embed_images=True,
                             extra_loaders=[DictLoader({"dl101.html.j2": TEMPLATE})])


def private_paths() -> dict:
    """The folders of the machine that ran the notebook, as a handout names them: the data cache
    as ``<dl101 cache>``, the home folder as ``~``."""
    from pathlib import Path

    from ..data.cache import cache_root
    return {str(cache_root()[0]): "<dl101 cache>", str(Path.home()): "~"}


def without_private_paths(nb, paths=None):
    """A copy of ``nb`` whose text outputs name none of ``paths`` (by default :func:`private_paths`),
    each replaced by its stand-in."""
    import copy
    nb = copy.deepcopy(nb)
    paths = paths or private_paths()

    def clean(text):
        for path, stand_in in paths.items():  # the cache first: it may lie in the home folder
            text = text.replace(path, stand_in)
        return text

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = clean(output["text"])
            for kind in ("text/plain", "text/html"):
                if kind in output.get("data", {}):
                    output["data"][kind] = clean(output["data"][kind])
    return nb


def to_html(nb, title: str) -> str:
    """The HTML page of the notebook ``nb``, titled ``title``; it loads nothing from the network
    and names none of the folders of the machine that ran it (:func:`without_private_paths`)."""
    page, _ = exporter().from_notebook_node(without_private_paths(nb), resources={"metadata": {"name": title}})
    loads = external_loads(page)
    if loads:
        raise Dl101Error(f"the HTML of {title} would load {len(loads)} file(s) from the network, "
                         f"e.g. {loads[0]}; embed them in the notebook or remove them")
    return page
