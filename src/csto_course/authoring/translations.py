"""The Russian edition's catalogs: extract English paragraphs, update the catalogs, say what is left.

English is the one source. Every paragraph a reader sees (a lesson's Markdown cells, a book page)
is a gettext message in ``locale/<lang>/LC_MESSAGES/<source path>.po``, one catalog per source
file, as Sphinx's gettext builder lays them out. polib reads and writes the catalogs, so the
course has no PO parser of its own. Updating a catalog works like ``msgmerge``: a paragraph whose
English changed keeps its old translation, marked ``fuzzy`` with the old English beside it, so a
one-word edit shows up as "out of date" rather than silently keeping or losing the Russian.

What is declared published (``locale/<lang>/published.txt``) must be complete: every paragraph
translated, none fuzzy, the markup kept, and the glossary's fixed terms used
(``locale/<lang>/glossary.csv``). :func:`problems` reports each gap naming file and string;
tests/test_translations.py fails on any. A Russian notebook is the English one with each Markdown
paragraph replaced by its translation and every code cell left as it is (:func:`translate_notebook`).

Command line (``make translations``)::

    python -m csto_course.authoring.translations update [--lang ru]   # extract and merge
    python -m csto_course.authoring.translations status [--lang ru]   # coverage; exit 1 if published gaps
"""

from __future__ import annotations

import ast
import copy
import csv
import difflib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import polib

from ..language import DATA_CONTEXT
from .lesson import read_lesson, source_of
from .release import ANSWER_KEY_DATASETS, STUDENT_MODULES

__all__ = [
    "SOURCES",
    "Message",
    "Term",
    "Problem",
    "paragraphs",
    "is_translatable",
    "extract",
    "catalog_path",
    "merge",
    "update",
    "published",
    "glossary",
    "glossary_problems",
    "markup_problems",
    "problems",
    "coverage",
    "usable_translations",
    "PACKAGE",
    "DATA",
    "DISPLAY_SHAPES",
    "compiled_path",
    "compiled_graders_path",
    "compile_package",
    "shipped",
    "translate_markdown",
    "translate_notebook",
]

ROOT = Path(__file__).resolve().parents[3]
#: What is translated, as globs from the course's root; each file gets one catalog.
SOURCES = ("notebooks/*.ipynb", "book/*.md")
#: The package, whose messages to a student (``_("...")``, :mod:`csto_course.language`) are one
#: catalog, ``locale/<lang>/LC_MESSAGES/src/csto_course.po``, compiled into the package as
#: ``csto_course/locale/<lang>/LC_MESSAGES/csto_course.mo`` for the standard library's gettext.
PACKAGE = "src/csto_course"
#: The data's words a student reads are one catalog, ``locale/<lang>/LC_MESSAGES/data.po``, compiled
#: into the package's catalog under the context ``data`` (:func:`csto_course.language.display`):
#: the values of every field ``data/datapackage.json`` marks ``"translated": true`` (names, titles,
#: the record's prose; :func:`csto_course.data.load` reads them in the reader's language) and the
#: package's own titles and descriptions (the codebook, :func:`csto_course.data.describe`).
#: The map's country shapes (``data/<file>``), whose ``name`` a map's tooltip shows.
DISPLAY_SHAPES = "geo/region-110m.topojson.json"
#: The name of the data's catalog among the sources (``locale/<lang>/LC_MESSAGES/data.po``).
DATA = "data"
#: How close an old English paragraph must be to a new one for its translation to be kept as
#: fuzzy (difflib's ratio over words; 0.6 lets a changed word or clause through, not a rewrite).
FUZZY_RATIO = 0.6
#: Russian's three plural forms, as GNU gettext's manual gives them for Russian.
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
}

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,}|:{3,})(.*)$")
#: Markup a translation must carry over unchanged: a fence's backticks (read first, so the inline
#: code inside a fenced directive is read in step), HTML comments (solution markers), inline code,
#: a MyST role's target ({cite:p}`key`), a link's address, a citation's keys.
_MARKUP = re.compile(
    r"(?m:^[ \t]*`{3,})|<!--.*?-->|\{[\w:-]+\}`[^`]*`|`[^`]+`|\]\([^)\s]+\)|data-keys=\"[^\"]*\"|\{\w+\}", re.S
)
_NOT_WORDS = re.compile(r"<!--.*?-->|\{[\w:-]+\}`[^`]*`|`[^`]+`|\]\([^)]*\)|<[^>]*>|https?://\S+|^%.*$", re.S | re.M)


@dataclass(frozen=True)
class Message:
    """One paragraph to translate, with where it occurs (source file, cell or line)."""

    msgid: str
    occurrences: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Term:
    """A fixed term: ``english`` in a paragraph means ``russian`` (``*`` = any ending) in its translation."""

    english: str
    russian: str

    def english_in(self, text: str) -> bool:
        return re.search(rf"(?<![\w-]){re.escape(self.english)}(?![\w-])", text) is not None

    def russian_in(self, text: str) -> bool:
        pattern = r"\w*".join(re.escape(part) for part in self.russian.split("*"))
        return re.search(rf"(?<!\w){pattern}(?!\w)", text) is not None


@dataclass(frozen=True)
class Problem:
    """A gap in a published translation, in one sentence naming the file and the string."""

    source: str
    kind: str
    text: str

    def __str__(self) -> str:
        short = self.text if len(self.text) <= 90 else self.text[:87] + "..."
        return f"{self.source}: {self.kind}: {short!r}"


# --------------------------------------------------------------------------- paragraphs


def paragraphs(markdown: str) -> list[tuple[str, bool]]:
    """``markdown`` as pieces that join back to it exactly: (text, is_paragraph).

    Paragraphs are split at blank lines, except inside a fenced block (code, a MyST directive),
    which stays whole; the blank lines between them are pieces too, so nothing is lost.
    """
    pieces: list[tuple[str, bool]] = []
    block: list[str] = []
    gap: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        blank = not line.strip()
        if blank and fence is None:
            if block:
                pieces.append(("\n".join(block), True))
                block = []
            gap.append(line)
            continue
        if gap:
            pieces.append(("\n".join(gap), False))
            gap = []
        block.append(line)
        match = _FENCE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence) and not match.group(2).strip():
                fence = None
    if block:
        pieces.append(("\n".join(block), True))
    if gap:
        pieces.append(("\n".join(gap), False))
    # Blank runs became pieces without their newlines: put the separators back.
    joined: list[tuple[str, bool]] = []
    for i, (text, is_paragraph) in enumerate(pieces):
        if is_paragraph:
            joined.append((text, True))
        else:
            before = "\n" if i > 0 else ""
            after = "\n" if i < len(pieces) - 1 else ""
            joined.append((before + text + after, False))
    return joined


def is_translatable(paragraph: str) -> bool:
    """Whether a paragraph has words to translate: not a code block, a comment or bare markup."""
    match = _FENCE.match(paragraph.split("\n", 1)[0])
    if match and match.group(1).startswith(("`", "~")) and not match.group(2).strip().startswith("{"):
        return False
    if match and re.match(r"\{code", match.group(2).strip()):
        return False
    return re.search(r"[^\W\d_]{2,}", _NOT_WORDS.sub(" ", paragraph)) is not None


def _markdown_of(path: Path) -> Iterator[tuple[str, str]]:
    """(where, markdown) for each Markdown cell of a lesson, or the whole text of a page."""
    if path.suffix == ".ipynb":
        for index, cell in enumerate(read_lesson(path).cells):
            if cell.get("cell_type") == "markdown":
                yield f"cell {index}", source_of(cell)
    else:
        yield "", path.read_text(encoding="utf-8")


#: A line of IPython (``%pip``, ``!ls``) that Python's parser cannot read: read as ``pass`` instead.
_MAGIC = re.compile(r"^([ \t]*)[%!].*$", re.MULTILINE)


def _printed_literals(code: str) -> list[ast.Constant]:
    """The texts a lesson's code prints with words in them: each string literal given to ``print()``
    (``print(n, "spells;")``). They are messages of the lesson's catalog, so the Russian lesson
    prints Russian; a cell Python cannot parse has none."""
    try:
        tree = ast.parse(_MAGIC.sub(lambda m: m.group(1) + "pass", code))
    except SyntaxError:
        return []
    return [
        arg
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
        for arg in node.args
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and re.search(r"[^\W\d_]{2,}", arg.value)
    ]


def printed_words(code: str) -> list[str]:
    """The words a code cell prints (:func:`_printed_literals`), in order."""
    return [str(literal.value) for literal in _printed_literals(code)]


def translate_printed_words(code: str, translations: Mapping[str, str]) -> str:
    """``code`` with each printed text (:func:`printed_words`) in its translation, written as a Python
    string literal; the code is otherwise unchanged, so it runs as the English does."""
    lines = code.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    out = code
    for literal in sorted(_printed_literals(code), key=lambda n: (n.lineno, n.col_offset), reverse=True):
        translated = translations.get(str(literal.value))
        if not translated or literal.end_lineno is None or literal.end_col_offset is None:
            continue
        begin = starts[literal.lineno - 1] + len(lines[literal.lineno - 1].encode()[: literal.col_offset].decode())
        end_line = lines[literal.end_lineno - 1]
        end = starts[literal.end_lineno - 1] + len(end_line.encode()[: literal.end_col_offset].decode())
        out = out[:begin] + json.dumps(translated, ensure_ascii=False) + out[end:]
    return out


def _package_messages(path: Path, root: Path) -> list[Message]:
    """Each ``_("...")`` (or ``N_("...")``, marked only) in the package: a message shown to a student, once each."""
    where: dict[str, list[tuple[str, str]]] = {}
    for module in sorted(path.rglob("*.py")):
        name = module.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and len(node.args) == 1
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                where.setdefault(node.args[0].value, []).append((name, str(node.lineno)))
    ordered = sorted(where.items(), key=lambda item: [(file, int(line)) for file, line in item[1]])
    return [Message(msgid, tuple(occurrences)) for msgid, occurrences in ordered]


def _data_messages(path: Path, root: Path) -> list[Message]:
    """Each distinct text of the data a student reads, once, with where it occurs: the datasets' and
    fields' titles and descriptions, then the values of the fields marked ``translated``."""
    where: dict[str, list[tuple[str, str]]] = {}

    def add(value: object, place: tuple[str, str]) -> None:
        text = str(value or "").strip()
        if text and place not in where.get(text, []):
            where.setdefault(text, []).append(place)

    described = path / "datapackage.json"
    package = json.loads(described.read_text(encoding="utf-8"))
    package_name = described.relative_to(root).as_posix()
    for resource in package["resources"]:
        add(resource.get("title"), (package_name, f"{resource['name']}.title"))
        add(resource.get("description"), (package_name, f"{resource['name']}.description"))
        for field in resource["schema"]["fields"]:
            add(field.get("description"), (package_name, f"{resource['name']}.{field['name']}"))
    for resource in package["resources"]:
        columns = [f["name"] for f in resource["schema"]["fields"] if f.get("translated")]
        if not columns:
            continue
        table = path / resource["path"]
        name = table.relative_to(root).as_posix()
        with table.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        for column in columns:
            for row in rows:
                add(row.get(column), (name, column))
    shapes = path / DISPLAY_SHAPES
    topology = json.loads(shapes.read_text(encoding="utf-8"))
    for geometry in next(iter(topology["objects"].values()))["geometries"]:
        add(geometry.get("properties", {}).get("name"), (shapes.relative_to(root).as_posix(), "name"))
    return [Message(msgid, tuple(occurrences)) for msgid, occurrences in where.items()]


def extract(path: Path, root: Path = ROOT) -> list[Message]:
    """The messages of one source file (or of the package, or the data's names), in reading order, each once."""
    if path.resolve() == (root / DATA).resolve():
        return _data_messages(path, root)
    if path.is_dir():
        return _package_messages(path, root)
    name = path.resolve().relative_to(root.resolve()).as_posix()
    where: dict[str, list[tuple[str, str]]] = {}
    for place, markdown in _markdown_of(path):
        line = 1
        for text, is_paragraph in paragraphs(markdown):
            if is_paragraph and is_translatable(text):
                where.setdefault(text, []).append((name, place or str(line)))
            line += text.count("\n")
    if path.suffix == ".ipynb":
        for index, cell in enumerate(read_lesson(path).cells):
            if cell.get("cell_type") == "code":
                for text in printed_words(source_of(cell)):
                    where.setdefault(text, []).append((name, f"cell {index} print"))
    return [Message(msgid, tuple(occurrences)) for msgid, occurrences in where.items()]


def catalog_path(source: str, lang: str = "ru", root: Path = ROOT) -> Path:
    """``notebooks/00_x.ipynb`` → ``locale/ru/LC_MESSAGES/notebooks/00_x.po``."""
    return root / "locale" / lang / "LC_MESSAGES" / Path(source).with_suffix(".po")


# --------------------------------------------------------------------------- updating


def _new_catalog(lang: str) -> polib.POFile:
    catalog = polib.POFile(wrapwidth=100)
    catalog.metadata = {
        "Project-Id-Version": "A Fading Alliance?",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS.get(lang, "nplurals=2; plural=(n != 1);"),
    }
    return catalog


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def merge(messages: Iterable[Message], old: polib.POFile | None, lang: str = "ru") -> polib.POFile:
    """The catalog for ``messages``, keeping ``old``'s translations (as ``msgmerge`` would).

    An unchanged paragraph keeps its translation and flags; a changed one takes the translation
    of the most similar old paragraph, marked fuzzy with the old English as ``#| msgid``; a
    translation no paragraph uses any more is kept as obsolete (``#~``), so none is lost.
    """
    catalog = _new_catalog(lang)
    if old is not None:
        catalog.metadata.update(old.metadata)
    known = {e.msgid: e for e in (old or []) if not e.obsolete}
    unused = {e.msgid: e for e in (old or []) if e.msgstr}  # obsolete ones can be revived too
    messages = list(messages)
    current = {m.msgid for m in messages}
    for msgid in current:
        unused.pop(msgid, None)
    for message in messages:
        entry = polib.POEntry(msgid=message.msgid, msgstr="", occurrences=list(message.occurrences))
        previous = known.get(message.msgid) or next(
            (e for e in (old or []) if e.obsolete and e.msgid == message.msgid), None
        )
        if previous is not None:
            entry.msgstr = previous.msgstr
            entry.flags = list(previous.flags)
            entry.previous_msgid = previous.previous_msgid
            entry.tcomment = previous.tcomment
        else:
            scored = [(_similarity(message.msgid, e.msgid), e.msgid) for e in unused.values()]
            best = max(scored, default=(0.0, ""))
            if best[0] >= FUZZY_RATIO:
                source = unused.pop(best[1])
                entry.msgstr = source.msgstr
                entry.flags = ["fuzzy"]
                entry.previous_msgid = source.msgid
                entry.tcomment = source.tcomment
        catalog.append(entry)
    for leftover in unused.values():
        gone = polib.POEntry(msgid=leftover.msgid, msgstr=leftover.msgstr, obsolete=True, tcomment=leftover.tcomment)
        catalog.append(gone)
    return catalog


def _sources(root: Path) -> list[Path]:
    package = [root / name for name in (PACKAGE, DATA) if (root / name).is_dir()]
    return sorted({path for pattern in SOURCES for path in root.glob(pattern)}) + package


def compiled_path(lang: str = "ru", root: Path = ROOT) -> Path:
    """Where the package's compiled catalog goes: inside the package, so a student's copy has it."""
    return root / PACKAGE / "locale" / lang / "LC_MESSAGES" / "csto_course.mo"


def compiled_graders_path(lang: str = "ru", root: Path = ROOT) -> Path:
    """Where the graders' compiled catalog goes: beside the graders, which the student package leaves out."""
    return root / PACKAGE / "exercises" / "locale" / lang / "LC_MESSAGES" / "csto_course_graders.mo"


def shipped(entry: polib.POEntry) -> bool:
    """Whether a message of the package is shown by a module the student package carries.

    Only those go into the catalog the student package carries: a grader's message (a right
    answer's, which may name the answer) reaches a student only enciphered in the sealed checks.
    """
    modules = [f"{PACKAGE}/{m}" for m in STUDENT_MODULES]
    return any(file == m or (m.endswith("/") and file.startswith(m)) for file, _ in entry.occurrences for m in modules)


def answer_key_words(entry: polib.POEntry) -> bool:
    """Whether a text of the data's catalog comes only from an answer key (its rows or its codebook,
    :data:`csto_course.authoring.release.ANSWER_KEY_DATASETS`): such a text, English or Russian,
    goes into the graders' catalog, since the student package leaves the key out."""
    places = [":".join(part for part in occurrence if part) for occurrence in entry.occurrences]
    keys = tuple(f"{DATA}/{name}.csv:" for name in ANSWER_KEY_DATASETS)
    described = tuple(f"{DATA}/datapackage.json:{name}." for name in ANSWER_KEY_DATASETS)
    return bool(places) and all(place.startswith(keys + described) for place in places)


def compile_package(catalog: polib.POFile | None = None, lang: str = "ru", root: Path = ROOT) -> Path:
    """Write the package's usable translations (none fuzzy) as the ``.mo`` files gettext reads; returns
    the student package's.

    ``catalog`` is the package's messages (default: its catalog on disk). The messages of the modules
    the student package carries go into its catalog, with the data's words (``data.po``) under the
    context ``data`` (:func:`csto_course.language.display`); the graders' messages and the answer
    key's words (:func:`answer_key_words`) go into a catalog of their own, beside the graders
    (:func:`compiled_graders_path`).
    """
    catalog = catalog if catalog is not None else _read(catalog_path(PACKAGE, lang, root))
    usable = _translations(catalog)
    entries = [e for e in catalog or [] if e.msgid in usable and not e.obsolete]
    data_catalog = _read(catalog_path(DATA, lang, root))
    data_usable = _translations(data_catalog)
    keys = {e.msgid for e in data_catalog or [] if e.msgid in data_usable and answer_key_words(e)}
    shown = sorted((k, v) for k, v in data_usable.items() if k not in keys)
    graded = sorted((k, v) for k, v in data_usable.items() if k in keys)
    for target, chosen, names in (
        (compiled_path(lang, root), [e for e in entries if shipped(e)], shown),
        (compiled_graders_path(lang, root), [e for e in entries if not shipped(e)], graded),
    ):
        compiled = _new_catalog(lang)
        compiled.metadata.update(catalog.metadata if catalog is not None else {})
        for entry in sorted(chosen, key=lambda e: e.msgid):
            compiled.append(polib.POEntry(msgid=entry.msgid, msgstr=entry.msgstr))
        for msgid, msgstr in names:
            compiled.append(polib.POEntry(msgctxt=DATA_CONTEXT, msgid=msgid, msgstr=msgstr))
        target.parent.mkdir(parents=True, exist_ok=True)
        compiled.save_as_mofile(str(target))
    return compiled_path(lang, root)


def _read(path: Path) -> polib.POFile | None:
    return polib.pofile(str(path), wrapwidth=100) if path.exists() else None


def update(lang: str = "ru", root: Path = ROOT, only: Iterable[str] | None = None) -> dict[str, polib.POFile]:
    """Extract every source (or ``only`` these) and merge its catalog on disk; returns them by source."""
    chosen = set(only) if only is not None else None
    written = {}
    for path in _sources(root):
        name = path.relative_to(root).as_posix()
        if chosen is not None and name not in chosen:
            continue
        target = catalog_path(name, lang, root)
        catalog = merge(extract(path, root), _read(target), lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        catalog.save(str(target))
        if name in (PACKAGE, DATA):
            compile_package(catalog if name == PACKAGE else None, lang, root)
        written[name] = catalog
    return written


# --------------------------------------------------------------------------- is it complete?


def published(lang: str = "ru", root: Path = ROOT) -> list[str]:
    """The sources declared published in ``lang`` (``locale/<lang>/published.txt``, one per line)."""
    listing = root / "locale" / lang / "published.txt"
    if not listing.exists():
        return []
    lines = (line.split("#", 1)[0].strip() for line in listing.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def glossary(lang: str = "ru", root: Path = ROOT) -> list[Term]:
    """The fixed terms, from ``locale/<lang>/glossary.csv`` (columns ``english``, ``russian``)."""
    with (root / "locale" / lang / "glossary.csv").open(encoding="utf-8", newline="") as handle:
        return [Term(row["english"], row["russian"]) for row in csv.DictReader(handle)]


def markup_problems(source: str, msgid: str, msgstr: str) -> list[Problem]:
    """Markup the English has and the translation lost or changed (code, solution markers, links)."""
    lost = Counter(_MARKUP.findall(msgid)) - Counter(_MARKUP.findall(msgstr))
    return [Problem(source, f"markup {token!r} missing from the translation of", msgid) for token in lost]


def glossary_problems(source: str, msgid: str, msgstr: str, terms: Iterable[Term]) -> list[Problem]:
    """A fixed term the English uses and the translation renders otherwise."""
    return [
        Problem(source, f"glossary: {term.english!r} should be {term.russian!r} in the translation of", msgid)
        for term in terms
        if term.english_in(msgid) and not term.russian_in(msgstr)
    ]


def problems(source: str, lang: str = "ru", root: Path = ROOT) -> list[Problem]:
    """Every gap in the translation of ``source`` as the English stands now, not as last extracted."""
    catalog = _read(catalog_path(source, lang, root))
    entries = {e.msgid: e for e in catalog or [] if not e.obsolete}
    terms = glossary(lang, root)
    found = []
    for message in extract(root / source, root):
        entry = entries.get(message.msgid)
        if entry is None:
            found.append(Problem(source, "new English not in the catalog (run make translations)", message.msgid))
        elif not entry.msgstr:
            found.append(Problem(source, "untranslated", message.msgid))
        elif "fuzzy" in entry.flags:
            found.append(Problem(source, "out of date (fuzzy)", message.msgid))
        else:
            found += markup_problems(source, entry.msgid, entry.msgstr)
            found += glossary_problems(source, entry.msgid, entry.msgstr, terms)
    return found


def coverage(catalog: polib.POFile) -> tuple[int, int, int]:
    """(translated, fuzzy, total) messages of a catalog, obsolete ones left out."""
    live = [e for e in catalog if not e.obsolete]
    fuzzy = sum("fuzzy" in e.flags for e in live)
    done = sum(bool(e.msgstr) and "fuzzy" not in e.flags for e in live)
    return done, fuzzy, len(live)


# --------------------------------------------------------------------------- Russian outputs


def usable_translations(path: Path) -> dict[str, str]:
    """The usable translations (none fuzzy) of the catalog at ``path``; none where it does not exist."""
    return _translations(_read(path))


def _translations(catalog: polib.POFile | None) -> dict[str, str]:
    """Usable translations only: a fuzzy one is out of date and shows the English instead."""
    return {e.msgid: e.msgstr for e in catalog or [] if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}


def translate_markdown(markdown: str, translations: Mapping[str, str]) -> str:
    """``markdown`` with each paragraph that has a translation replaced by it; the rest as it was."""
    return "".join(
        translations.get(text, text) if is_paragraph else text for text, is_paragraph in paragraphs(markdown)
    )


def translate_notebook(notebook: Mapping[str, Any], catalog: polib.POFile | None, lang: str = "ru") -> Any:
    """A copy of ``notebook`` in ``lang``: Markdown and the words code prints translated, the code and
    outputs otherwise untouched.

    The notebook's metadata records its language (``csto_course.language``), which is what
    ``check()`` is to read to choose its feedback's language (CONTRIBUTING.md, "Translations").
    """
    translated = copy.deepcopy(nbformat.from_dict(notebook))
    table = _translations(catalog)
    for cell in translated.cells:
        if cell.cell_type == "markdown":
            cell.source = translate_markdown(source_of(cell), table)
        elif cell.cell_type == "code":
            cell.source = translate_printed_words(source_of(cell), table)
    translated.metadata.setdefault("csto_course", {})["language"] = lang
    return translated


def main(argv: list[str]) -> int:
    """``update`` or ``status``; ``--lang`` picks the language (ru). The Russian lessons are written
    by :mod:`csto_course.authoring.russian_edition` (``make ru-lessons``)."""
    lang = "ru"
    if "--lang" in argv:
        at = argv.index("--lang")
        lang = argv[at + 1]
        argv = argv[:at] + argv[at + 2 :]
    command = argv[:1]
    if command == ["update"]:
        for source, catalog in update(lang).items():
            done, fuzzy, total = coverage(catalog)
            if done or fuzzy:
                print(f"{catalog_path(source, lang).relative_to(ROOT)}: {done}/{total} translated, {fuzzy} fuzzy")
        return 0
    if command == ["status"]:
        gaps = [problem for source in published(lang) for problem in problems(source, lang)]
        for problem in gaps:
            print(problem)
        print(f"{len(published(lang))} files published in {lang!r}, {len(gaps)} problems")
        return 1 if gaps else 0
    print(__doc__.split("Command line", 1)[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
