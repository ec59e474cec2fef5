"""How the Jupyter Book draws two kinds of lesson output: Altair charts and ipywidgets explorers.

Charts:
MyST-NB finds this class through the ``myst_nb.mime_renderers`` entry point in
``pyproject.toml``. Out of the box MyST-NB has no renderer for
``application/vnd.vegalite.v5+json`` and Altair's HTML output loads vega from a CDN; here
each chart becomes a ``<figure>`` holding the chart drawn as SVG when the book is built
(:mod:`.staticcharts`), so it shows without waiting for Vega and without JavaScript, and the
address of its spec, which ``_static/charts.js`` hands to the vendored vega-embed only when
there is something to drive. The chart's ``description`` is the figure's caption, so every chart has a
text alternative on the page.

Explorers: an ipywidgets view needs a running kernel to do anything. The lessons are saved
without widget state, so the website would otherwise show an empty box (or, with the state,
load a 3.6 MB widget manager to draw a copy that cannot move). Each explorer's place on the
page gets a short note saying where it runs instead.

The words the website adds (the note, a caption's "Text alternative:") are the course's messages
(``_()``), in Russian on the Russian site.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes

from ..language import _
from . import staticcharts

VEGALITE_MIME = "application/vnd.vegalite.v5+json"
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"


def widget_note() -> str:
    """What stands in for an ipywidgets explorer on the website, in the reader's language."""
    return (
        f'<div class="csto-widget-note" role="note"><strong>{_("Explorer.")}</strong> '
        + _(
            "It appears here when the lesson runs in Python: in JupyterLab, or in Binder or Colab "
            "(the rocket icon at the top)."
        )
        + "</div>"
    )


#: The one script a page with a chart loads, ``defer``red: it hands a chart with controls to Vega
#: when the chart nears the screen (or a control is used), and any other chart when the pointer
#: or the keyboard reaches it, loading vega, vega-lite and vega-embed then, not before.
_SCRIPT = ("csto_charts", "charts.js", 213)


def figure_html(spec: dict[str, Any]) -> str:
    """The HTML for one chart as the lesson's page is read: a figure holding the chart's controls,
    its spec and its text alternative as the figure's caption. When the page is written,
    :func:`write_charts` draws the chart into files and puts their images in the figure."""
    spec = staticcharts.for_website(spec)
    text = staticcharts.spec_json(spec)
    digest = hashlib.sha1((text + staticcharts.DRAWING_VERSION).encode("utf-8")).hexdigest()[:10]
    chart_id = f"vl-{digest}"
    description = str(spec.get("description") or "Chart")
    live = "controls" if staticcharts.has_controls(spec) else "pointer"
    return (
        f'<figure class="csto-chart" id="{chart_id}" data-live="{live}">'
        f'<div class="csto-chart-view" data-spec-id="{chart_id}-spec">{staticcharts.controls(spec)}</div>'
        f'<script type="application/json" id="{chart_id}-spec">{text}</script>'
        f'<figcaption class="csto-chart-alt" id="{chart_id}-alt">'
        f'<span class="csto-alt-label">{_("Text alternative:")}</span> '
        f"{html.escape(description)}</figcaption>"
        f"</figure>"
    )


#: A chart as figure_html writes it into the page's body, before the page is written.
_CHART = re.compile(
    r'<div class="csto-chart-view" data-spec-id="(vl-[0-9a-f]+)-spec">(.*?)</div>'
    r'<script type="application/json" id="\1-spec">(.*?)</script>',
    re.DOTALL,
)

#: Where the charts' files (drawings and specs) are written, under the site's root.
CHARTS_FOLDER = "_static/charts"


def _write(target: Path, data: str) -> None:
    if not target.exists() or target.read_text(encoding="utf-8") != data:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(data, encoding="utf-8")


def write_charts(body: str, folder: Path, url_for: Callable[[str], str]) -> str:
    """Draw each chart in ``body`` into ``folder`` and put its drawings in its figure; returns the body.

    Each chart becomes files named by its id: ``<id>-<width>.svg``, one per width
    (staticcharts.WIDTHS), shown as images, and ``<id>.json``, its spec, whose address stays in
    the figure for charts.js, which fetches it with Vega. ``url_for`` turns a path from the site's
    root into one from the page. A file already written for the same id is kept: the id names
    the spec and the drawing code (figure_html).
    """

    def written(match: re.Match[str]) -> str:
        chart_id, controls, text = match.groups()
        data = text.replace("<\\/", "</")
        spec = json.loads(data)
        _write(folder / f"{chart_id}.json", data)
        drawings = []
        for width in staticcharts.widths(spec):
            target = folder / f"{chart_id}-{width}.svg"
            if not target.exists():
                _write(target, staticcharts.svg(spec, width))
            url = url_for(f"{CHARTS_FOLDER}/{target.name}")
            alt = str(spec.get("description") or "Chart")
            drawings.append(staticcharts.drawing_html(width, target.read_text(encoding="utf-8"), url, alt))
        spec_url = url_for(f"{CHARTS_FOLDER}/{chart_id}.json")
        return f'<div class="csto-chart-view" data-spec="{spec_url}">{"".join(drawings)}{controls}</div>'

    return _CHART.sub(written, body)


class CourseOutputs:
    """A MyST-NB mime renderer plugin (``myst_nb.core.render.MimeRenderPlugin``): charts and explorers."""

    # Prefer the Vega-Lite JSON over Altair's text/plain fallback in HTML builds.
    mime_priority_overrides: ClassVar[list[tuple[str, str, int | None]]] = [
        ("html", VEGALITE_MIME, 1),
        ("dirhtml", VEGALITE_MIME, 1),
        ("singlehtml", VEGALITE_MIME, 1),
    ]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        if data.mime_type == WIDGET_VIEW_MIME and not inline:
            return [nodes.raw(text=widget_note(), format="html", classes=["output", "csto-widget"])]
        if data.mime_type != VEGALITE_MIME or inline:
            return None
        spec = data.content if isinstance(data.content, dict) else json.loads(data.content)
        key, path, priority = _SCRIPT
        renderer.add_js_file(key, path, {"priority": priority, "defer": "defer"})
        return [nodes.raw(text=figure_html(spec), format="html", classes=["output", "csto-vegalite"])]
