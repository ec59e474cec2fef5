"""The student's README and pins, written once for every copy a student gets.

Two copies of the course reach a student, and each carries a README written here:

- the handout (``make handout``, ``tools/handout.py``): a zip with the lessons and the course
  package as a wheel, to work from on one's own computer (:func:`handout_readme`);
- the ``student`` branch (``make student-branch``, ``tools/student_branch.py``; ``make student``
  writes the same README beside the student edition), and the ``student-ru`` branch of the
  Russian lessons: the lessons with the course package's sources, opened on Binder, on a
  JupyterHub or on one's own computer (:func:`branch_readme`).

Both install on one's own computer in the same steps (:data:`OWN_COMPUTER`), with the versions
the tests ran: ``constraints.txt``, exported from uv.lock by :func:`constraints` (what the lessons
import plus the ``lab`` group, JupyterLab), is passed to every ``pip install`` with ``-c``.

The Russian handout's and ``student-ru`` branch's READMEs are the English ones translated paragraph
by paragraph from one catalog, ``locale/ru/LC_MESSAGES/tools/student_readme.po``: its messages are
the paragraphs of :func:`handout_template` and :func:`branch_template`, the READMEs with their
values as named fields, filled after translation.
``make translations`` updates the catalog (``python tools/student_readme.py update``), keeping a
changed paragraph's Russian as fuzzy, as for the lessons (:mod:`csto_course.authoring.translations`),
and lists its gaps; tests/test_russian_edition.py fails on any.

    python tools/student_readme.py update [--lang ru]
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import polib
from student_routes import language_config, launch_urls

from csto_course.authoring import translations as tr
from csto_course.authoring.release import LAB_LOCALES

ROOT = Path(__file__).resolve().parents[1]
#: The pins file beside the README, and what it is exported from: uv.lock's runtime dependencies
#: and the ``lab`` group (JupyterLab), which are what a student installs.
CONSTRAINTS = "constraints.txt"
CONSTRAINTS_EXPORT = ("--frozen", "--no-hashes", "--no-emit-project", "--no-default-groups", "--group", "lab")
#: The lesson a student starts with, the one the README's links open.
FIRST_LESSON = "notebooks/00_getting_started.ipynb"
#: The source the README's catalogs are named after: locale/<lang>/LC_MESSAGES/tools/student_readme.po.
README_SOURCE = "tools/student_readme.py"

TITLE = "# A Fading Alliance? The CSTO in data: student copy\n"

#: On one's own computer; ``{target}`` is what pip installs (the wheel, or ``.`` for the branch's
#: sources), ``{jupyterlab}`` the ``lab`` group's JupyterLab, ``{get_copy}`` how to get the folder.
OWN_COMPUTER = """\
You need Python 3.11 or newer. The internet is needed once, to install the packages the
lessons use (pandas, Altair, ipywidgets); after that the lessons work offline. `{constraints}`
lists the version of each package the course was tested with, and every command below installs
those versions.

### 1. Install Python

- **Windows and macOS:** download Python 3.11 or newer from <https://www.python.org/downloads/>
  and run the installer (on Windows, tick "Add python.exe to PATH").
- **Linux:** use your distribution's Python 3.11 or newer (on Debian and Ubuntu also install
  `python3-venv`).

### 2. Install the course

{get_copy}

Create an environment for the course in that folder, `.venv`, and install the course package
into it:

```bash
# macOS and Linux
python3 -m venv .venv
.venv/bin/python -m pip install -c {constraints} {target}
```

```powershell
# Windows
py -m venv .venv
.venv\\Scripts\\python -m pip install -c {constraints} {target}
```

### 3. Open the lessons

**In JupyterLab.** Install it in the same environment once, then start it on the lessons:

```bash
# macOS and Linux
.venv/bin/python -m pip install -c {constraints} {jupyterlab}
.venv/bin/jupyter lab notebooks
```

```powershell
# Windows
.venv\\Scripts\\python -m pip install -c {constraints} {jupyterlab}
.venv\\Scripts\\jupyter lab notebooks
```

JupyterLab opens in your web browser. Stop it with Ctrl+C in the terminal.

**Or in VS Code.** Install [VS Code](https://code.visualstudio.com/) and its Python and Jupyter
extensions. Open this folder (File > Open Folder...), open a lesson in `notebooks/`, click
"Select Kernel" at the top right and choose the `.venv` environment.
"""

WORKING = """\
## Working through a lesson

Start with `{first}`, then go in order. Run the cells from the top
(Shift+Enter runs one). In each exercise, replace the `...` with your answer and run the check
cell below it: it says "Not attempted yet" until you do, then whether your answer is right.

{setup_cell}

The course's code is under the MIT licence (`LICENSE`); its text, notebooks and data under
CC BY 4.0 (`LICENSE-CONTENT`).
"""


def constraints(uv: str, root: Path = ROOT) -> str:
    """``constraints.txt``: uv.lock's pins of what a student installs (runtime set and JupyterLab)."""
    command = [uv, "export", *CONSTRAINTS_EXPORT, "--format", "requirements-txt", "--quiet"]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, check=True).stdout


def lab_requirements(root: Path = ROOT, language: str = "en") -> list[str]:
    """What a student installs to open the lessons, as the course's ``lab`` dependency group pins it:
    JupyterLab (``jupyterlab>=4.4,<5``), and its language pack for a lesson language it has one for."""
    groups = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["dependency-groups"]
    wanted = ["jupyterlab"]
    if language in LAB_LOCALES:
        wanted.append("jupyterlab-language-pack-" + LAB_LOCALES[language].replace("_", "-").lower())
    names = {str(r).split(">")[0].split("=")[0].split("<")[0].strip().lower(): str(r) for r in groups["lab"]}
    return [names[name] for name in wanted]


def jupyterlab_requirement(root: Path = ROOT) -> str:
    """JupyterLab as the course's ``lab`` dependency group pins it (``jupyterlab>=4.4,<5``)."""
    return lab_requirements(root)[0]


def _quoted(requirements: list[str]) -> str:
    return " ".join(f'"{r}"' for r in requirements)


def _own_computer(target: str, get_copy: str, root: Path = ROOT) -> str:
    return OWN_COMPUTER.format(
        target=target, jupyterlab=_quoted(lab_requirements(root)), constraints=CONSTRAINTS, get_copy=get_copy
    )


def handout_template() -> str:
    """The handout's README in English with its values as named fields: ``{wheel}`` (the wheel's file
    name), ``{jupyterlab}`` (what installs JupyterLab), ``{constraints}`` and ``{first}`` (the first
    lesson). Its paragraphs are the messages of the README's catalog."""
    intro = (
        "This folder holds the course's lessons, in `notebooks/`, and the course package with all its\n"
        "datasets:\n\n    {wheel}\n"
    )
    setup = (
        "The first code cell of each lesson is a set-up cell. With the environment above it does\n"
        "nothing; in a Python that lacks the course package it installs `{wheel}` from this folder."
    )
    get_copy = "Open a terminal (on Windows, PowerShell) in this folder, the one holding this README."
    fields = {"target": "{wheel}", "jupyterlab": "{jupyterlab}", "constraints": "{constraints}"}
    return "\n".join(
        [
            TITLE,
            intro,
            "## On your own computer\n",
            OWN_COMPUTER.format(get_copy=get_copy, **fields),
            WORKING.format(first="{first}", setup_cell=setup),
        ]
    )


def handout_readme(wheel: str, root: Path = ROOT, language: str = "en") -> str:
    """The handout's README in ``language``: the wheel ``wheel`` (its file name) is beside it."""
    template = handout_template()
    if language != "en":
        template = tr.translate_markdown(template, tr._translations(_read_catalog(language, root)))
    return template.format(
        wheel=wheel, jupyterlab=_quoted(lab_requirements(root, language)), constraints=CONSTRAINTS, first=FIRST_LESSON
    )


# --------------------------------------------------------------------------- the README's catalog


def readme_messages() -> list[tr.Message]:
    """The paragraphs of :func:`handout_template` and :func:`branch_template` (with a hub and
    without) to translate, each once, with the README and the line it is on."""
    templates = {
        "handout README": handout_template(),
        "branch README": branch_template(),
        "branch README with a hub": branch_template(hub=True),
    }
    where: dict[str, list[tuple[str, str]]] = {}
    for name, template in templates.items():
        line = 1
        for text, is_paragraph in tr.paragraphs(template):
            place = (README_SOURCE, f"{name} line {line}")
            if is_paragraph and tr.is_translatable(text) and place not in where.get(text, []):
                where.setdefault(text, []).append(place)
            line += text.count("\n")
    return [tr.Message(msgid, tuple(occurrences)) for msgid, occurrences in where.items()]


def _read_catalog(language: str, root: Path = ROOT) -> polib.POFile | None:
    path = tr.catalog_path(README_SOURCE, language, root)
    return polib.pofile(str(path), wrapwidth=100) if path.exists() else None


def update_catalog(language: str = "ru", root: Path = ROOT) -> polib.POFile:
    """Merge the README's paragraphs into its catalog on disk (as ``make translations`` does the lessons')."""
    catalog = tr.merge(readme_messages(), _read_catalog(language, root), language)
    target = tr.catalog_path(README_SOURCE, language, root)
    target.parent.mkdir(parents=True, exist_ok=True)
    catalog.save(str(target))
    return catalog


def readme_problems(language: str = "ru", root: Path = ROOT) -> list[tr.Problem]:
    """Every gap in the README's translation, as :func:`csto_course.authoring.translations.problems` names them."""
    entries = {e.msgid: e for e in _read_catalog(language, root) or [] if not e.obsolete}
    terms = tr.glossary(language, root)
    found = []
    for message in readme_messages():
        entry = entries.get(message.msgid)
        if entry is None:
            found.append(tr.Problem(README_SOURCE, "new English not in the catalog (make translations)", message.msgid))
        elif not entry.msgstr:
            found.append(tr.Problem(README_SOURCE, "untranslated", message.msgid))
        elif "fuzzy" in entry.flags:
            found.append(tr.Problem(README_SOURCE, "out of date (fuzzy)", message.msgid))
        else:
            found += tr.markup_problems(README_SOURCE, entry.msgid, entry.msgstr)
            found += tr.glossary_problems(README_SOURCE, entry.msgid, entry.msgstr, terms)
    return found


def branch_template(binder: bool = True, hub: bool = False) -> str:
    """The student branch's README in English with its values as named fields: ``{binder}`` and
    ``{jupyterhub}`` (the first lesson's launch links, present when ``binder`` and ``hub`` say so),
    ``{branch}`` and ``{repo_url}`` (the branch and the repository), and the handout's
    ``{jupyterlab}``, ``{constraints}`` and ``{first}``. Its paragraphs are messages of the README's
    catalog too (:func:`readme_messages`), so the ``student-ru`` branch's README is in Russian."""
    intro = (
        "The course's lessons are in `notebooks/`, each exercise left for you to answer. Open them\n"
        "online, with nothing to install, or on your own computer.\n"
    )
    online = ["## Online\n"]
    if binder:
        online.append(
            "- **On Binder**, in your web browser: this link builds the course's environment from\n"
            "  `binder/` and opens the first lesson in JupyterLab:\n  <{binder}>\n"
        )
    if hub:
        online.append(
            "- **On your course's JupyterHub**: this link copies the lessons into your home folder\n"
            "  on the hub and opens the first lesson:\n  <{jupyterhub}>\n"
        )
    else:
        online.append(
            "- **On your course's JupyterHub**, if it has one: use the link your course gives you. It\n"
            "  copies the lessons into your home folder on the hub and opens one in JupyterLab.\n"
        )
    get_copy = (
        "The `{branch}` branch of the course's repository holds the lessons with the course package\n"
        "and its datasets. Get a copy of it: download <{repo_url}/archive/refs/heads/{branch}.zip> and\n"
        "unzip it, or `git clone --branch {branch} {repo_url}`. Then open a terminal (on Windows,\n"
        "PowerShell) in the folder of that copy, the one holding `pyproject.toml`."
    )
    setup = (
        "The first code cell of each lesson is a set-up cell. With the environment above, or on\n"
        "Binder or a hub, it does nothing."
    )
    fields = {"target": ".", "jupyterlab": "{jupyterlab}", "constraints": "{constraints}"}
    return "\n".join(
        [
            TITLE,
            intro,
            *online,
            "## On your own computer\n",
            OWN_COMPUTER.format(get_copy=get_copy, **fields),
            WORKING.format(first="{first}", setup_cell=setup),
        ]
    )


def branch_readme(root: Path = ROOT, language: str = "en") -> str:
    """The README of the student branch in ``language`` (``student``, or ``student-ru`` for the Russian):
    its links are the launch links of the website in that language (``tools/student_routes.py``)."""
    config = language_config(language, root)
    repository = config["repository"]
    links = launch_urls(config, FIRST_LESSON)
    template = branch_template(binder="Binder" in links, hub="JupyterHub" in links)
    if language != "en":
        template = tr.translate_markdown(template, tr._translations(_read_catalog(language, root)))
    return template.format(
        binder=links.get("Binder", ""),
        jupyterhub=links.get("JupyterHub", ""),
        branch=str(repository["branch"]),
        repo_url=str(repository["url"]).rstrip("/"),
        jupyterlab=_quoted(lab_requirements(root, language)),
        constraints=CONSTRAINTS,
        first=FIRST_LESSON,
    )


def main(argv: list[str]) -> int:
    """``update [--lang ru]``: merge the README's catalog and list its gaps (exit 1 if any)."""
    language = argv[argv.index("--lang") + 1] if "--lang" in argv[:-1] else "ru"
    if argv[:1] != ["update"]:
        print("usage: python tools/student_readme.py update [--lang ru]", file=sys.stderr)
        return 2
    done, fuzzy, total = tr.coverage(update_catalog(language))
    print(f"{tr.catalog_path(README_SOURCE, language).relative_to(ROOT)}: {done}/{total} translated, {fuzzy} fuzzy")
    gaps = readme_problems(language)
    for problem in gaps:
        print(problem)
    return 1 if gaps else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
