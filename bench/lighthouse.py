"""Lighthouse over every page, on a phone and on a desktop (used by bench/run.py).

Lighthouse 12.2.3 (pinned in bench/package.json, installed into bench/node_modules by `make bench`)
drives Debian's Chromium (/usr/bin/chromium), which it starts afresh for each run, so every page
is measured with an empty cache. The pages come from csto_course.website.server, which sends them
as GitHub Pages does (gzip, ``Cache-Control: max-age=600``), on 127.0.0.1; Chromium's resolver
reaches no other host, and Lighthouse's error reporting is off, so nothing leaves the machine.

"mobile" is Lighthouse's default (a mid-range phone, 4x slower processor, simulated slow 4G);
"desktop" is its ``--preset=desktop``. For each run: the four category scores (0-100), the
largest contentful paint and total blocking time (ms), the layout shift, and the bytes sent.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from csto_course.website.server import chromium_path, serve

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: Chromium as the browser tests start it (server.CHROMIUM_ARGS): headless, and no host but 127.0.0.1.
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync "
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
)
FORM_FACTORS = ("mobile", "desktop")


def available() -> str | None:
    """Why Lighthouse cannot run here, or None when it can."""
    if not LIGHTHOUSE.exists():
        return "Lighthouse is not installed in bench/node_modules (make bench installs it with npm)"
    if chromium_path() is None:
        return "Chromium (/usr/bin/chromium) is not installed"
    return None


def run_once(url: str, form_factor: str, output: Path) -> dict[str, object]:
    """One Lighthouse run of ``url``: its scores and figures (see the module docstring)."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={output}",
        "--quiet",
        f"--chrome-path={chromium_path()}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--no-enable-error-reporting",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0 or not output.exists():
        raise RuntimeError(f"lighthouse failed on {url} ({form_factor}): {done.stderr[-800:]}")
    report = json.loads(output.read_text(encoding="utf-8"))
    audits = report["audits"]
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    failed = sorted(
        key
        for key, audit in audits.items()
        if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"
    )
    return {
        **scores,
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 4),
        "bytes": round(audits["total-byte-weight"]["numericValue"]),
        "failed_audits": failed,
    }


def measure_site(html: Path, pages: list[str], log: object = print) -> list[dict[str, object]]:
    """One row per page of the site in ``html``: its runs on a phone and on a desktop."""
    rows: list[dict[str, object]] = []
    with serve(html) as base, tempfile.TemporaryDirectory() as scratch:
        for page in pages:
            row: dict[str, object] = {"page": page}
            for form_factor in FORM_FACTORS:
                row[form_factor] = run_once(base + page, form_factor, Path(scratch) / "report.json")
            log(f"  {page}: mobile {row['mobile']['performance']}, desktop {row['desktop']['performance']}")  # type: ignore[operator,index]
            rows.append(row)
    return rows
