"""What each written page leaves out (csto_course.website.lighterpages), and its description."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from docutils.core import publish_doctree

from csto_course.website.lighterpages import full_redirect, lazy_pictures, lighten, without_glyph_rules
from csto_course.website.sphinxext import page_description

HEAD = """<html><head>
  <script data-cfasync="false">document.documentElement.dataset.mode = "light";</script>
    <link rel="stylesheet" type="text/css" href="../_static/copybutton.css?v=1" />
    <link rel="stylesheet" type="text/css" href="../_static/sphinx-design.min.css?v=2" />
    <script src="../_static/documentation_options.js?v=9"></script>
    <script src="../_static/clipboard.min.js?v=a"></script>
    <script src="../_static/copybutton.js?v=f"></script>
    <script>let toggleHintShow = 'Click to show';</script>
    <script data-sd-tabs-storage-prefix="x-" src="../_static/design-tabs.js?v=f"></script>
    <script>DOCUMENTATION_OPTIONS.pagename = 'book/index';</script>
    <script src="../_static/searchtools.js"></script>
    <script src="../_static/language_data.js"></script>
    <script src="../searchindex.js"></script>
    <!-- So that users can add custom icons -->
    <script defer src="../_static/scripts/fontawesome.js?digest=1"></script>
</head><body>{body}<script src="late.js"></script></body></html>"""


def test_a_text_page_keeps_only_what_it_uses_and_defers_its_scripts() -> None:
    page = lighten(HEAD.format(body="<p>Prose only.</p>"))
    for gone in ("fontawesome", "searchindex", "searchtools", "language_data", "copybutton", "clipboard", "design"):
        assert gone not in page, gone
    assert '<script defer="defer" src="../_static/documentation_options.js?v=9"></script>' in page
    assert "<script type=\"module\">DOCUMENTATION_OPTIONS.pagename = 'book/index';</script>" in page
    assert '<script data-cfasync="false">' in page, "the colour mode must be set before the first paint"
    assert "<script>let toggleHintShow" in page, "a plain inline script stays as it is"
    assert '<script src="late.js"></script>' in page, "the body is left alone"


def test_a_page_with_code_keeps_its_copy_buttons_and_the_search_page_its_search() -> None:
    code = lighten(HEAD.format(body='<div class="highlight"><pre>x = 1</pre></div>'))
    assert 'defer="defer" src="../_static/copybutton.js' in code and "copybutton.css" in code
    assert "sphinx-design" not in code
    search = lighten(HEAD.format(body=""), search_page=True)
    assert '<script src="../searchindex.js"></script>' in search and "fontawesome" not in search


def test_a_page_is_described_by_its_first_real_paragraph_in_whole_sentences() -> None:
    doctree = publish_doctree(
        "Title\n=====\n\n**Objectives.**\n\n"
        + "The alliance was built in 1992. "
        + "It rarely acted, and the lesson asks why that was so, with the treaty texts. " * 3
    )
    description = page_description(doctree)
    assert description.startswith("The alliance was built in 1992. It rarely acted")
    assert len(description) <= 160 and description.endswith(".")


def test_the_front_door_becomes_a_whole_document_and_the_icon_font_rules_go() -> None:
    page = full_redirect('<meta http-equiv="Refresh" content="0; url=book/index.html" />\n', "A Fading Alliance?")
    assert page.startswith("<!DOCTYPE html>") and "<title>A Fading Alliance?</title>" in page
    assert '<meta http-equiv="Refresh" content="0; url=book/index.html">' in page
    assert full_redirect("<!DOCTYPE html><p>a page</p>", "x") == "<!DOCTYPE html><p>a page</p>"
    css = 'a{color:red}\n.fa-sun:before,.fa-x:after{content:"\\f185"}.fa-lg{font-size:1.25em}'
    assert without_glyph_rules(css) == "a{color:red}\n.fa-lg{font-size:1.25em}"


def test_a_picture_loads_lazily_and_keeps_its_room(tmp_path: Path) -> None:
    header = struct.pack(">IIBBBBB", 640, 360, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    (tmp_path / "shot.png").write_bytes(png)
    page = lazy_pictures('<p><img alt="A screenshot" src="shot.png" /></p>', tmp_path)
    lazy = 'width="640" height="360" loading="lazy" decoding="async"'
    assert page == f'<p><img alt="A screenshot" src="shot.png" {lazy} /></p>'
