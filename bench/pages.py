"""Page weight and time to the first chart for every page of the built book (used by bench/run.py).

For each page in _toc.yml, served from 127.0.0.1 with gzip as a static host would, headless
Chromium at a desktop's size loads the page with an empty cache and reports:
  - bytes transferred (compressed, as sent) and uncompressed bytes of all responses, the page
    opened at its top, and how many charts and pictures (screenshots) its text holds;
  - on a page with charts, the time from navigation until its first chart is on the screen (its
    drawing loaded and painted), the page opened at that chart (``page.html#<its id>``), median of 3.
"""

from __future__ import annotations

from playwright.sync_api import sync_playwright

from csto_course.website.layout import LAPTOP
from csto_course.website.server import CHROMIUM_ARGS, HTML, chromium_path, serve, toc_pages

RUNS = 3

#: Set before the page's scripts: the time of the first frame in which the page's first chart
#: shows a drawing that has arrived (an image loaded, or Vega's SVG).
FIRST_CHART = """(() => {
  const shown = () => {
    const figure = document.querySelector('figure.csto-chart');
    if (!figure) return false;
    return Array.from(figure.querySelectorAll('img.csto-chart-drawing, svg.marks')).some(d =>
      d.getClientRects().length > 0 && (d.tagName !== 'IMG' || (d.complete && d.naturalWidth > 0)));
  };
  const poll = () => {
    if (shown()) requestAnimationFrame(() => { window.cstoFirstChart = performance.now(); });
    else requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})();"""


def measure(browser, url: str, first_chart: bool) -> dict[str, float]:
    context = browser.new_context(viewport={"width": LAPTOP, "height": 900})
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
    if first_chart:
        page.add_init_script(FIRST_CHART)
    page.goto(url, wait_until="load")
    seen = page.wait_for_function("() => window.cstoFirstChart", timeout=20_000).json_value() if first_chart else None
    page.wait_for_timeout(300)  # late requests (fonts, images near the screen) still count towards weight
    charts = page.locator("figure.csto-chart").count()
    pictures = page.locator("article.bd-article img:not(.csto-chart-drawing)").count()
    first_id = page.locator("figure.csto-chart").first.get_attribute("id") if charts else None
    context.close()
    return {
        "bytes": sizes["transferred"],
        "decoded": sizes["decoded"],
        "charts": charts,
        "pictures": pictures,
        "first": first_id,
        "ms": seen,
    }


def measure_pages() -> list[dict[str, object]] | None:
    """One row per page (see the module docstring), or None without Chromium or a built book."""
    chromium = chromium_path()
    if chromium is None or not (HTML / "book" / "index.html").exists():
        return None
    rows: list[dict[str, object]] = []
    with serve(HTML) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        measure(browser, base + toc_pages()[0], first_chart=False)  # warm the server and the browser once
        for page in toc_pages():
            runs = [measure(browser, base + page, first_chart=False) for _ in range(RUNS)]
            row: dict[str, object] = {
                "page": page,
                "transferred": int(max(r["bytes"] for r in runs)),
                "uncompressed": int(runs[0]["decoded"]),
                "charts": int(runs[0]["charts"]),
                "pictures": int(runs[0]["pictures"]),
                "first_chart_s": None,
            }
            if runs[0]["charts"]:
                at_chart = [measure(browser, f"{base}{page}#{runs[0]['first']}", first_chart=True) for _ in range(RUNS)]
                row["first_chart_s"] = round(sorted(r["ms"] for r in at_chart)[RUNS // 2] / 1000, 3)  # median
            rows.append(row)
        browser.close()
    return rows
