"""Write book/_static/icons.css: the theme's icons as inline SVG, with no icon font or script.

pydata-sphinx-theme draws its icons with Font Awesome: a 1.5 MB script (left out of every page by
csto_course.website.sphinxext) or two web fonts (274 KB, which the browser fetches at the highest
priority on every page). The site uses some twenty icons. This script reads each one's outline
from the theme's own copy of Font Awesome Free (the script above, installed with the theme) and
writes it into icons.css as a CSS mask: the icon is drawn in the text's colour, at the glyph's
own width, wherever the theme's markup or its scripts put ``<i class="fa-solid fa-…">``, and
the font files are never requested.

    .venv/bin/python tools/vendor/icons.py      # after a theme upgrade, or to add an icon

tests/test_book.py fails if a page uses an icon icons.css does not draw.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import quote

import pydata_sphinx_theme

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "book" / "_static" / "icons.css"
SCRIPT = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "scripts" / "fontawesome.js"

#: The icons the site uses, by Font Awesome style ("fas": solid, "fab": brands).
ICONS = {
    "fas": [
        "angle-down", "angle-left", "angle-right", "arrow-up", "bars", "circle-half-stroke", "compress",
        "download", "expand", "file", "file-pdf", "lightbulb", "list", "magnifying-glass", "moon",
        "outdent", "rocket", "sun", "xmark",
    ],
    "fab": ["github"],
}  # fmt: skip

#: How the script registers each style's icons: ``d("fas",p)`` after that style's table ``p``.
_PACK_END = re.compile(r'd\("(fa[srb])",p\)')
_ICON = re.compile(r'(?:"([a-z0-9-]+)"|\b([a-z0-9]+)):\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+","([^"]+)"\]')

HEADER = """/* The theme's icons as inline SVG (CSS masks), written by tools/vendor/icons.py: no icon web
   font and no icon script is loaded. pydata-sphinx-theme marks an icon up as
   <i class="fa-solid fa-NAME">; each rule below draws that icon's outline, from Font Awesome Free
   {version} (the copy pydata-sphinx-theme {theme} ships), in the text's colour and at the glyph's
   width, as the font did. Font Awesome Free by @fontawesome, https://fontawesome.com/license/free
   (icons: CC BY 4.0; code: MIT). tests/test_book.py fails if a page uses an icon not drawn here. */
.fa-solid, .fas, .fa-brands, .fab {{
  display: inline-block;
  font-family: inherit;
  font-style: normal;
  font-variant: normal;
  line-height: 1;
  text-rendering: auto;
}}
/* The icon itself, and the theme's own icons drawn in pseudo-elements: the GitHub mark before a
   link to GitHub, the arrow beside "Contents" when the page's contents are folded. */
.fa-solid::before, .fas::before, .fa-brands::before, .fab::before,
a.github::before, .bd-sidebar-secondary.hide:not(:hover) .onthispage::after {{
  content: "";
  display: inline-block;
  font-family: inherit;
  width: calc(var(--csto-icon-width, 1) * 1em);
  height: 1em;
  vertical-align: -0.125em;
  background-color: currentColor;
  -webkit-mask: var(--csto-icon) center / contain no-repeat;
  mask: var(--csto-icon) center / contain no-repeat;
}}
.fa-lg {{ font-size: 1.25em; line-height: 0.05em; vertical-align: -0.075em; }}
a.github::before {{ font-size: 0.9em; }}
"""


def outlines(script: str) -> dict[str, dict[str, tuple[int, int, str]]]:
    """Every icon of each style in Font Awesome's script: width, height and SVG path, by name."""
    packs: dict[str, dict[str, tuple[int, int, str]]] = {}
    start = 0
    for end in _PACK_END.finditer(script):
        table = packs.setdefault(end.group(1), {})
        for icon in _ICON.finditer(script, start, end.start()):
            table.setdefault(icon.group(1) or icon.group(2), (int(icon.group(3)), int(icon.group(4)), icon.group(5)))
        start = end.end()
    return packs


def rule(selector: str, width: int, height: int, path: str) -> str:
    """One icon's CSS: its outline as a data URL, and its width in ems."""
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"><path d="{path}"/></svg>'
    return f"{selector} {{ --csto-icon: url(\"data:image/svg+xml,{quote(svg)}\"); --csto-icon-width: {width / height:.4g}; }}"


def main() -> int:
    script = SCRIPT.read_text(encoding="utf-8")
    licence = SCRIPT.with_name(SCRIPT.name + ".LICENSE.txt")
    version = re.search(r"Font Awesome Free (\d[\d.]+)", licence.read_text(encoding="utf-8"))
    packs = outlines(script)
    lines = [HEADER.format(version=version.group(1) if version else "6", theme=pydata_sphinx_theme.__version__)]
    for style, names in ICONS.items():
        for name in names:
            if name not in packs.get(style, {}):
                print(f"icons.py: {style} {name} is not in {SCRIPT}", file=sys.stderr)
                return 1
            lines.append(rule(f".fa-{name}", *packs[style][name]))
    lines.append(rule("a.github", *packs["fab"]["github"]))
    lines.append(rule(".bd-sidebar-secondary.hide:not(:hover) .onthispage", *packs["fas"]["angle-down"]))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"icons.py: wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
