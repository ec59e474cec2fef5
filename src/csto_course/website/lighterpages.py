"""Take out of each written page what the page does not use, and let the browser paint before
the scripts it keeps run.

The theme's templates write the same ``<head>`` into every page. This module edits the written
HTML (csto_course.website.sphinxext runs it when the build finishes):

- the theme's ``fontawesome.js`` (1.5 MB, every icon of Font Awesome Free) is left out;
  ``_static/icons.css`` draws the site's icons as inline SVG;
- Sphinx's search (``searchtools.js``, ``language_data.js`` and ``searchindex.js``, 48 KB
  compressed) is left out of every page but the search page: the search box on every page sends
  its words there, and the course has no search-as-you-type, so the index is loaded when used;
- sphinx-design's stylesheet and script, where the page has no sphinx-design element (no page
  of the course has one today);
- the copy buttons' scripts and stylesheet, where the page has no code block to copy;
- the theme's stylesheet loses Font Awesome's table of glyphs (about 1,900 rules that map each
  icon's class to a character of the icon font: 91 KB, a third of the stylesheet the browser must
  read before it paints), since icons.css draws the icons without that font;
- the site's root ``index.html``, a one-line redirect to the first page, becomes a whole document;
- a picture in a page's text (a screenshot) loads as it nears the screen, and keeps its room
  before it arrives (its width and height, read from the PNG file);
- every script the head keeps is ``defer``red, so none blocks the first paint: they run in the
  same order once the page is parsed; the one-line scripts that set ``DOCUMENTATION_OPTIONS``
  become module scripts, which wait in that same queue for ``documentation_options.js``.
  (The colour-mode script stays as it is: it must run before the first paint.)
"""

from __future__ import annotations

import html
import re
from pathlib import Path

#: A whole ``<script src=...></script>`` line whose file name matches the group given.
_SCRIPT_LINE = r'[ \t]*(?:<!--[^>]*-->\s*)?<script\b[^>]*\bsrc="[^"]*(?:{names})[^"]*"[^>]*></script>\n?'
_STYLE_LINE = r'[ \t]*<link\b[^>]*\bhref="[^"]*(?:{names})[^"]*"[^>]*/?>\n?'

ICON_SCRIPT = re.compile(_SCRIPT_LINE.format(names=r"scripts/fontawesome\.js"))
SEARCH_SCRIPTS = re.compile(_SCRIPT_LINE.format(names=r"searchtools\.js|language_data\.js|searchindex\.js"))
DESIGN_FILES = (
    re.compile(_SCRIPT_LINE.format(names=r"design-tabs\.js")),
    re.compile(_STYLE_LINE.format(names=r"sphinx-design\.min\.css")),
)
COPY_FILES = (
    re.compile(_SCRIPT_LINE.format(names=r"clipboard\.min\.js|copybutton\.js")),
    re.compile(_STYLE_LINE.format(names=r"copybutton\.css")),
)
#: A classic external script with neither ``defer`` nor ``async`` (nor a type of its own).
_BLOCKING = re.compile(r"<script(?![^>]*\b(?:defer|async|type)\b)([^>]*\bsrc=\"[^\"]+\"[^>]*)>")
#: An inline script that sets a field of DOCUMENTATION_OPTIONS, which a deferred script defines.
_OPTIONS_LINE = re.compile(r"<script>(DOCUMENTATION_OPTIONS\.[^<]*)</script>")


#: One Font Awesome glyph rule: icon classes, and the character that draws them in the icon font.
_GLYPH_SELECTOR = r"\.fa-[a-z0-9-]+:(?:before|after)"
_GLYPH_RULE = re.compile(rf'(?<=[}}\s]){_GLYPH_SELECTOR}(?:,{_GLYPH_SELECTOR})*\{{content:"[^"]*"\}}')
#: The theme's stylesheet, under the site's root.
THEME_STYLESHEET = "_static/styles/pydata-sphinx-theme.css"


def without_glyph_rules(css: str) -> str:
    """The theme's stylesheet without Font Awesome's glyph rules (see above); everything else stays."""
    return _GLYPH_RULE.sub("", css)


#: The site's front door as sphinx-external-toc writes it: one line, no doctype and no title.
_BARE_REDIRECT = re.compile(r'\s*<meta http-equiv="Refresh" content="0; url=([^"]+)" />\s*')


def full_redirect(page: str, title: str, language: str = "en") -> str:
    """The root ``index.html`` as a valid document (the Nu HTML Checker refuses the bare line
    sphinx-external-toc writes) that still sends the reader to the first page at once."""
    bare = _BARE_REDIRECT.fullmatch(page)
    if bare is None:
        return page
    url, name = html.escape(bare[1]), html.escape(title)
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(language)}"><head><meta charset="utf-8"><title>{name}</title>\n'
        f'<meta http-equiv="Refresh" content="0; url={url}"><link rel="canonical" href="{url}"></head>\n'
        f'<body><p><a href="{url}">{name}</a></p></body></html>\n'
    )


#: A picture in a page's text, as Sphinx writes it (``<img alt="..." src="..." />``).
_PICTURE = re.compile(r'<img alt="([^"]*)" src="([^"]+\.png)" />')


def png_size(data: bytes) -> tuple[int, int] | None:
    """A PNG's width and height, from its header; None for any other file."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def lazy_pictures(page: str, folder: Path) -> str:
    """Each PNG picture of the page (``folder`` is the page's) lazy-loaded, with its size."""

    def lazy(match: re.Match[str]) -> str:
        alt, src = match.groups()
        path = folder / src
        size = png_size(path.read_bytes()[:24]) if path.is_file() else None
        dimensions = f' width="{size[0]}" height="{size[1]}"' if size else ""
        return f'<img alt="{alt}" src="{src}"{dimensions} loading="lazy" decoding="async" />'

    return _PICTURE.sub(lazy, page)


def lighten(page: str, *, search_page: bool = False) -> str:
    """The page's HTML with what it does not use left out, and its scripts deferred (see above)."""
    page = ICON_SCRIPT.sub("", page)
    if search_page:  # the search page keeps its scripts, and their order, as Sphinx wrote them
        return page
    page = SEARCH_SCRIPTS.sub("", page)
    if not re.search(r'class="[^"]*\bsd-', page):
        for pattern in DESIGN_FILES:
            page = pattern.sub("", page)
    if '<div class="highlight' not in page:
        for pattern in COPY_FILES:
            page = pattern.sub("", page)
    head, _, body = page.partition("</head>")
    head = _BLOCKING.sub(r'<script defer="defer"\1>', head)
    head = _OPTIONS_LINE.sub(r'<script type="module">\1</script>', head)
    return f"{head}</head>{body}" if body else head
