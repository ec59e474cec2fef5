"""A lesson opened in JupyterLab, in Chromium, with no network: its saved charts draw.

JupyterLab 4 renders Altair 5's Vega-Lite v5 output with its built-in renderer. This test
starts a JupyterLab server on 127.0.0.1, aborts every request to any other host, opens each
lesson and checks that every chart output has drawn an SVG or a canvas. JupyterLab's own
optional look-ups (news, announcements) may try the network; they are aborted and listed, and
the test fails only if a chart library was fetched from elsewhere or a chart did not draw.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import urlopen

import pytest

from csto_course.site import ROOT

pytestmark = pytest.mark.browser

LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
CHART_LIBRARIES = ("vega", "altair")


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
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={lessons}",
        "--ServerApp.allow_root=True", "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    log = open(home / "lab.log", "w")
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
        yield f"{base}/lab/tree/{{notebook}}?token={token}"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_charts_draw_in_jupyterlab_offline(lab: str, browser: object, lesson: str) -> None:
    import json

    nb = json.loads((ROOT / "notebooks" / lesson).read_text(encoding="utf-8"))
    expected = sum(
        1
        for cell in nb["cells"]
        for output in cell.get("outputs", [])
        if "application/vnd.vegalite.v5+json" in output.get("data", {})
    )
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = context.new_page()
    outside: list[str] = []

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        if urlparse(url).hostname in ("127.0.0.1", None) or url.startswith(("data:", "blob:")):
            r.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(url)
            r.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    page.goto(lab.format(notebook=lesson), wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    drawn = 0
    # JupyterLab draws only the cells near the viewport; scroll through the whole notebook.
    deadline = time.time() + 60
    while time.time() < deadline:
        drawn = page.evaluate(
            "() => document.querySelectorAll('.jp-RenderedVegaCommon5 svg, .jp-RenderedVegaCommon5 canvas, "
            ".vega-embed svg, .vega-embed canvas').length"
        )
        if drawn >= expected:
            break
        page.evaluate("() => document.querySelectorAll('.jp-WindowedPanel-outer, .jp-Notebook').forEach(e => e.scrollBy(0, 800))")
        page.wait_for_timeout(250)
    shots = ROOT / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"jupyterlab__{Path(lesson).stem}.png"))
    context.close()
    assert drawn >= expected, f"{lesson}: {drawn} of {expected} charts drew in JupyterLab"
    fetched_libraries = [u for u in outside if any(name in u for name in CHART_LIBRARIES)]
    assert not fetched_libraries, f"{lesson}: JupyterLab tried to fetch chart code from {fetched_libraries}"
