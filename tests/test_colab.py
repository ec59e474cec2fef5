"""Charts draw on Colab as well as in JupyterLab and the book (``charts.enable`` picks the renderer).

Colab cannot draw Altair's Vega-Lite JSON, so there the course switches to Altair's ``colab``
renderer (HTML that loads vega from a CDN); everywhere else charts stay offline JSON. The
tests fake Colab by putting a ``google.colab`` module in ``sys.modules``.
"""

from __future__ import annotations

import subprocess
import sys
import types
from collections.abc import Iterator

import altair as alt
import pandas as pd
import pytest

from csto_course.views import charts

VEGALITE = "application/vnd.vegalite.v5+json"


@pytest.fixture(autouse=True)
def restore_renderer() -> Iterator[None]:
    """Leave Altair's renderer as the test found it, so other tests see the course's set-up."""
    before = alt.renderers.active
    yield
    alt.renderers.enable(before)


def bundle() -> dict[str, object]:
    """What a notebook front end receives when a small chart is displayed."""
    chart = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")
    output = chart._repr_mimebundle_()
    data = output[0] if isinstance(output, tuple) else output
    assert isinstance(data, dict)
    return data


def test_on_colab_charts_are_html_that_colab_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    charts.enable()
    assert alt.renderers.active == "colab"
    data = bundle()
    assert VEGALITE not in data
    html = data["text/html"]
    assert isinstance(html, str)
    assert "vega-embed" in html, "the HTML should load vega-embed to draw the chart"


def test_elsewhere_charts_stay_offline_vegalite_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    alt.renderers.enable("colab")  # as if a Colab session had switched it: enable() must switch back
    charts.enable()
    assert alt.renderers.active == "mimetype"
    data = bundle()
    assert VEGALITE in data
    assert "text/html" not in data, "outside Colab no chart should carry scripts (or a CDN address)"


def test_importing_the_course_on_colab_switches_the_renderer() -> None:
    """``from csto_course import *``, a lesson's first line, does it: no extra set-up cell on Colab.

    In a fresh interpreter, as a Colab kernel imports ``google.colab`` before any cell runs.
    (Outside Colab, every saved lesson output, compared by nbval, shows the mimetype renderer.)
    """
    code = (
        "import sys, types; sys.modules['google.colab'] = types.ModuleType('google.colab'); "
        "import altair, csto_course; print(altair.renderers.active)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert run.stdout.strip() == "colab"
