"""Page weight and time to the last chart for every page of the built book (used by bench/run.py).

For each page in _toc.yml, served from 127.0.0.1 with gzip as a static host would, headless
Chromium loads the page with an empty cache and reports:
  - bytes transferred (compressed, as sent) and uncompressed bytes of all responses;
  - the time from navigation start until the last course chart has been drawn (median of 3).
"""

from __future__ import annotations

from playwright.sync_api import sync_playwright

from csto_course.website.server import CHROMIUM_ARGS, HTML, WAIT_FOR_CHARTS, chromium_path, serve, toc_pages

RUNS = 3

#: When every chart is drawn (csto_course.website.server.WAIT_FOR_CHARTS): how many, and the time since navigation.
CHARTS_DONE = (
    f"() => ({WAIT_FOR_CHARTS})() ? {{charts: document.querySelectorAll('figure.csto-chart').length, "
    "t: performance.now()} : null"
)


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
    page.wait_for_timeout(300)  # late requests (fonts) still count towards weight
    context.close()
    return {"bytes": sizes["transferred"], "decoded": sizes["decoded"], "charts": done["charts"], "chart_ms": done["t"]}


def measure_pages() -> list[dict[str, object]] | None:
    """One row per page (see the module docstring), or None without Chromium or a built book."""
    chromium = chromium_path()
    if chromium is None or not (HTML / "book" / "index.html").exists():
        return None
    rows: list[dict[str, object]] = []
    with serve(HTML) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        measure(browser, base + toc_pages()[0])  # warm the server and the browser once
        for page in toc_pages():
            runs = [measure(browser, base + page) for _ in range(RUNS)]
            chart_ms = sorted(r["chart_ms"] for r in runs)[RUNS // 2]  # median
            rows.append(
                {
                    "page": page,
                    "transferred": int(max(r["bytes"] for r in runs)),
                    "uncompressed": int(runs[0]["decoded"]),
                    "charts": int(runs[0]["charts"]),
                    "last_chart_s": round(chart_ms / 1000, 3) if runs[0]["charts"] else None,
                }
            )
        browser.close()
    return rows
