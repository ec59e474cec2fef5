"""A lesson opened in JupyterLab, in Chromium, with no network: its charts draw, its citations read.

JupyterLab 4 renders Altair 5's Vega-Lite v5 output with its built-in renderer. Lessons cite
sources as ``(<cite data-keys="id; id">Author, year; Author, year</cite>)``, plain HTML that
JupyterLab's own Markdown renderer shows as "(Author, year)", as the book does (see
``csto_course.website.citations``).
This test starts a JupyterLab server on 127.0.0.1 with the course's own settings
(lab/settings, as `make lab` installs them: no news pop-up), records every request to any
other host (which the browser cannot reach), opens each lesson and checks that

- every chart output has drawn an SVG or a canvas;
- every Markdown cell was rendered, every cited source reads as its "Author, year" in a
  rendered <cite> (never as its bare id), and
  no raw MyST role text ("{cite:p}`...`") is left;
- nothing was requested from any host but 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest

from csto_course import load
from csto_course.authoring.lesson import lesson_paths
from csto_course.website.citations import cited_keys, labels
from csto_course.website.server import ROOT, SHOTS, watch_outside

pytestmark = pytest.mark.browser

LESSONS = [p.name for p in lesson_paths(ROOT)]
CHART_LIBRARIES = ("vega", "altair")
# What raw role text looks like once a renderer that does not know MyST has shown it.
RAW_ROLE = re.compile(r"\{[a-z][\w:-]*\}|`")
# The lab settings the course ships (`make lab` installs them into the environment).
LAB_SETTINGS = ROOT / "lab" / "settings"
# Test only: attach every cell at once, so that every Markdown cell is rendered and can be read.
TEST_USER_SETTINGS = {"@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"}}

# The rendered citations: each <cite> holds one or more "Author, year" separated by semicolons.
CITATIONS_JS = """() => [...document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown cite')]
  .flatMap(e => e.textContent.split(';').map(k => k.trim()).filter(k => k))"""
MARKDOWN_JS = "() => [...document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown')]"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port, token = _free_port(), secrets.token_hex(16)
    home = tmp_path_factory.mktemp("jupyter-home")
    # Serve a copy: JupyterLab writes checkpoints (and may autosave) next to what it opens.
    lessons = home / "notebooks"
    shutil.copytree(ROOT / "notebooks", lessons, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    # The course's overrides (read from a copy, which JupyterLab may write beside), then the test's.
    app_settings = home / "app-settings"
    shutil.copytree(LAB_SETTINGS, app_settings)
    for plugin, values in TEST_USER_SETTINGS.items():
        path = home / "config" / "lab" / "user-settings" / f"{plugin.replace(':', '/')}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    env.pop("JUPYTERLAB_SETTINGS_DIR", None)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={lessons}",
        "--ServerApp.allow_root=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.app_settings_dir={app_settings}",
        # window.jupyterapp, so that one page of JupyterLab opens each lesson in turn.
        "--LabApp.expose_app_in_browser=True",
    ]
    with open(home / "lab.log", "w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    urlopen(f"{base}/api/status?token={token}", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.5)
            else:
                pytest.fail(f"JupyterLab did not start; see {home / 'lab.log'}")
            # ?reset: start from an empty workspace.
            yield f"{base}/lab?reset&token={token}"
        finally:
            server.terminate()
            server.wait(timeout=20)


def _markdown(nb: dict) -> list[str]:
    return ["".join(cell["source"]) for cell in nb["cells"] if cell["cell_type"] == "markdown"]


@dataclass
class LabPage:
    """One JupyterLab page, loaded once, and the requests it made to other hosts."""

    page: Any
    outside: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def lab_page(lab: str, browser: object) -> Iterator[LabPage]:
    """JupyterLab in one browser tab: loading the app takes seconds, opening a lesson in it less."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    opened = LabPage(context.new_page())
    watch_outside(opened.page, lab, opened.outside)
    opened.page.goto(lab, wait_until="domcontentloaded")
    opened.page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
    opened.page.evaluate("() => window.jupyterapp.restored.then(() => true)")
    yield opened
    context.close()


#: Close what is open (shutting its kernel down), then open the lesson as a student's double
#: click does, and wait until it is shown.
OPEN_LESSON = """async (path) => {
  const app = window.jupyterapp;
  for (const widget of Array.from(app.shell.widgets('main'))) {
    if (widget.sessionContext) await widget.sessionContext.shutdown();
    widget.dispose();
  }
  const widget = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await widget.context.ready;
  await widget.revealed;
  return true;
}"""


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_renders_in_jupyterlab_offline(lab_page: LabPage, lesson: str) -> None:
    nb = json.loads((ROOT / "notebooks" / lesson).read_text(encoding="utf-8"))
    expected = sum(
        1
        for cell in nb["cells"]
        for output in cell.get("outputs", [])
        if "application/vnd.vegalite.v5+json" in output.get("data", {})
    )
    markdown = _markdown(nb)
    names = labels(load("sources"))
    keys = [names[key] for key in cited_keys("\n".join(markdown))]
    page = lab_page.page
    page.evaluate(OPEN_LESSON, lesson)
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    drawn = rendered = 0
    cited: list[str] = []
    # Scroll through the whole notebook, in case JupyterLab draws only the cells near the viewport.
    deadline = time.time() + 60
    while time.time() < deadline:
        drawn = page.evaluate(
            "() => document.querySelectorAll('.jp-RenderedVegaCommon5 svg, .jp-RenderedVegaCommon5 canvas, "
            ".vega-embed svg, .vega-embed canvas').length"
        )
        rendered = page.evaluate(MARKDOWN_JS + ".length")
        cited = page.evaluate(CITATIONS_JS)
        if drawn >= expected and rendered >= len(markdown) and len(cited) >= len(keys):
            break
        page.evaluate(
            "() => document.querySelectorAll('.jp-WindowedPanel-outer, .jp-Notebook').forEach(e => e.scrollBy(0, 800))"
        )
        page.wait_for_timeout(250)
    cited = page.evaluate(CITATIONS_JS)
    # The rendered Markdown only (not the hidden editors holding the source), folded parts included.
    texts: list[str] = page.evaluate(MARKDOWN_JS + ".map(e => e.textContent)")
    news = page.get_by_text("official Jupyter news").count()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"jupyterlab__{Path(lesson).stem}.png"))
    first_citation = page.locator(".jp-MarkdownCell cite >> visible=true").first
    if first_citation.count():
        first_citation.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=str(SHOTS / f"jupyterlab-citation__{Path(lesson).stem}.png"))
    outside = lab_page.outside  # the app's own requests count against the first lesson

    assert drawn >= expected, f"{lesson}: {drawn} of {expected} charts drew in JupyterLab"
    fetched_libraries = [u for u in outside if any(name in u for name in CHART_LIBRARIES)]
    assert not fetched_libraries, f"{lesson}: JupyterLab tried to fetch chart code from {fetched_libraries}"
    assert not outside, f"{lesson}: JupyterLab requested pages from outside 127.0.0.1: {outside}"
    assert rendered == len(markdown), f"{lesson}: {rendered} of {len(markdown)} Markdown cells were rendered"
    assert sorted(cited) == sorted(keys), (
        f"{lesson}: the citations JupyterLab shows differ from the sources' author and year; "
        f"missing {sorted(set(keys) - set(cited))}, unexpected {sorted(set(cited) - set(keys))}"
    )
    leftovers = [
        m.group(0) for text in texts for m in re.finditer(r".{0,40}(?:" + RAW_ROLE.pattern + r").{0,40}", text)
    ]
    assert not leftovers, f"{lesson}: raw MyST role text in the rendered Markdown: {leftovers[:5]}"
    assert not news, f"{lesson}: JupyterLab asked about its news feed; lab/settings should have turned it off"


#: The y scale's domain (the members' names, top to bottom) of the drawn chart that has a
#: slider named ``w_russian_sites``: JupyterLab draws on a canvas, so the order is read from
#: the Vega view its renderer keeps (``RenderedVega._result.view``).
INDEX_ORDER = """async () => {
  const stack = [...window.jupyterapp.shell.currentWidget.content.widgets];
  while (stack.length) {
    const w = stack.pop();
    const view = w._result && w._result.view;
    if (view && w.node.querySelector("input[name='w_russian_sites']")) {
      await view.runAsync();
      return view.scale('y').domain();
    }
    if (w.outputArea) stack.push(...w.outputArea.widgets);
    if (w.widgets) stack.push(...w.widgets);
  }
  return null;
}"""


def test_index_sliders_re_sort_the_members_in_jupyterlab(lab_page: LabPage) -> None:
    """Lesson 4 says the index chart's bars re-sort as the weights change: true in JupyterLab's own renderer too."""
    from csto_course import load
    from csto_course.measures import DEPENDENCE_COMPONENTS, dependence_components, dependence_index
    from csto_course.views.decline import _names

    page = lab_page.page
    page.evaluate(OPEN_LESSON, "04_crisis_to_decline.ipynb")
    slider = page.locator("input[type=range][name='w_russian_sites']").first
    slider.wait_for(state="attached", timeout=60_000)
    slider.scroll_into_view_if_needed()
    names = _names()
    components = dependence_components(load("membership"), load("russian_bases"), load("unga_votes"), load("ties"))
    equal = dependence_index(components).sort_values(ascending=False)
    assert page.evaluate(INDEX_ORDER) == [names[m] for m in equal.index], "equal weights: not the measure's order"
    for name in DEPENDENCE_COMPONENTS:
        page.locator(f"input[type=range][name='w_{name}']").first.evaluate(
            "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }",
            "1" if name == "un_agreement" else "0",
        )
    page.wait_for_timeout(400)
    votes_only = dependence_index(components, {"un_agreement": 1}).sort_values(ascending=False)
    assert list(votes_only.index) != list(equal.index), "the test needs weights that change the order"
    assert page.evaluate(INDEX_ORDER) == [names[m] for m in votes_only.index], "the bars did not re-sort in JupyterLab"


def _lessons_with_chart_controls() -> list[str]:
    """Lessons whose saved charts carry a control bound to a parameter (a slider or a drop-down)."""
    return [
        lesson
        for lesson in LESSONS
        if any(
            "bind" in param
            for cell in json.loads((ROOT / "notebooks" / lesson).read_text(encoding="utf-8"))["cells"]
            for output in cell.get("outputs", [])
            for param in output.get("data", {}).get("application/vnd.vegalite.v5+json", {}).get("params", [])
        )
    ]


#: Every control of every drawn chart, changed in turn as a student would: how many there
#: were, and those after which the chart's scene stayed the same. The scene is read from the
#: Vega view JupyterLab's renderer keeps, as it draws on a canvas.
CONTROLS_CHANGE_CHARTS = """async (change) => {
  const changeControl = eval(change);
  const views = [];
  const stack = [...window.jupyterapp.shell.currentWidget.content.widgets];
  while (stack.length) {
    const w = stack.pop();
    if (w._result && w._result.view) views.push([w.node, w._result.view]);
    if (w.outputArea) stack.push(...w.outputArea.widgets);
    if (w.widgets) stack.push(...w.widgets);
  }
  let checked = 0;
  const still = [];
  for (const [node, view] of views) {
    const controls = node.querySelectorAll('.vega-bindings input[type=range], .vega-bindings select');
    for (const control of controls) {
      await view.runAsync();
      const before = view.scenegraph().toJSON();
      changeControl(control);
      await new Promise((done) => setTimeout(done, 300));
      await view.runAsync();
      if (view.scenegraph().toJSON() === before) still.push(control.name);
      checked += 1;
    }
  }
  return {checked, still};
}"""


@pytest.mark.parametrize("lesson", _lessons_with_chart_controls())
def test_every_chart_control_changes_its_chart_in_jupyterlab(lab_page: LabPage, lesson: str) -> None:
    """Each view is one chart, for the website and JupyterLab: its controls work in JupyterLab's renderer too."""
    from .test_site import CHANGE_CONTROL

    page = lab_page.page
    page.evaluate(OPEN_LESSON, lesson)
    page.wait_for_selector(".vega-bindings", state="attached", timeout=60_000)
    page.wait_for_timeout(1000)
    result = page.evaluate(CONTROLS_CHANGE_CHARTS, f"({CHANGE_CONTROL})")
    assert result["checked"], f"{lesson}: no chart control found in JupyterLab"
    assert not result["still"], f"{lesson}: these controls did not change their chart in JupyterLab: {result['still']}"
