"""Page weight and time-to-chart for every page of the built book (run: make bench).

For each page in _toc.yml, served from 127.0.0.1 with gzip as a static host would, headless
Chromium loads the page with an empty cache and reports:
  - bytes transferred (compressed, as sent) and uncompressed bytes of all responses;
  - the time from navigation start until the last course chart has been drawn.
Targets (issue "The published book is a real website"): no page over 3 MB transferred; every
chart drawn within 1.5 s. The script exits 1 if a target is missed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

# The local server is test code (tests/website.py), not part of the course package: run from
# the repository root as `python bench/pages.py`, this script finds it there.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.website import CHROMIUM_ARGS, HTML, ROOT, chromium_path, serve, toc_pages

MAX_BYTES = 3_000_000
MAX_CHART_SECONDS = 1.5
RUNS = 3

CHARTS_DONE = """() => {
  const all = document.querySelectorAll('figure.csto-chart').length;
  const done = document.querySelectorAll('figure.csto-chart-drawn, figure.csto-chart-failed').length;
  return all === done ? {charts: all, t: performance.now()} : null;
}"""


def measure(browser, url: str) -> dict[str, float]:
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes = {"transferred": 0.0, "decoded": 0.0}

    def finished(event: dict) -> None:
        sizes["transferred"] += event.get("encodedDataLength", 0)

    def received(event: dict) -> None:
        sizes["decoded"] += event.get("dataLength", 0)

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.dataReceived", received)
    page.goto(url, wait_until="load")
    done = page.wait_for_function(CHARTS_DONE, timeout=20_000).json_value()
    page.wait_for_timeout(300)  # late requests (fonts, widget views) still count towards weight
    context.close()
    return {"bytes": sizes["transferred"], "decoded": sizes["decoded"], "charts": done["charts"], "chart_ms": done["t"]}


def main() -> int:
    chromium = chromium_path()
    if chromium is None or not (HTML / "book" / "index.html").exists():
        print("make bench needs Chromium (/usr/bin/chromium) and a built book (make book).")
        return 2
    rows = []
    with serve(HTML) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        measure(browser, base + toc_pages()[0])  # warm the server and the browser once
        for page in toc_pages():
            runs = [measure(browser, base + page) for _ in range(RUNS)]
            chart_ms = sorted(r["chart_ms"] for r in runs)[RUNS // 2]  # median
            rows.append(
                {
                    "page": page,
                    "bytes": max(r["bytes"] for r in runs),
                    "decoded": runs[0]["decoded"],
                    "charts": runs[0]["charts"],
                    "chart_ms": chart_ms if runs[0]["charts"] else None,
                }
            )
        browser.close()
    print(f"{'page':42} {'transferred':>12} {'uncompressed':>13} {'charts':>6} {'last chart drawn':>17}")
    failed = False
    for r in rows:
        late = r["chart_ms"] is not None and r["chart_ms"] > MAX_CHART_SECONDS * 1000
        heavy = r["bytes"] > MAX_BYTES
        failed |= late or heavy
        drawn = f"{r['chart_ms'] / 1000:.2f} s" if r["chart_ms"] is not None else "no charts"
        flag = "  <- over target" if late or heavy else ""
        print(
            f"{r['page']:42} {r['bytes'] / 1e6:>10.2f} MB {r['decoded'] / 1e6:>10.2f} MB {r['charts']:>6} "
            f"{drawn:>17}{flag}"
        )
    out = ROOT / "_build" / "bench.json"
    out.write_text(json.dumps({"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "pages": rows}, indent=2))
    print(
        f"\nTargets: at most {MAX_BYTES / 1e6:.0f} MB transferred per page; every chart drawn within "
        f"{MAX_CHART_SECONDS} s (median of {RUNS} cold loads). Results also in {out.relative_to(ROOT)}."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
