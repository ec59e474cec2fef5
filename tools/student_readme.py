"""The student's README and pins, written once for every copy a student gets.

Two copies of the course reach a student, and each carries a README written here:

- the handout (``make handout``, ``tools/handout.py``): a zip with the lessons and the course
  package as a wheel, to work from on one's own computer (:func:`handout_readme`);
- the ``student`` branch (``make student-branch``, ``tools/student_branch.py``; ``make student``
  writes the same README beside the student edition): the lessons with the course package's
  sources, opened on Binder, on a JupyterHub or on one's own computer (:func:`branch_readme`).

Both install on one's own computer in the same steps (:data:`OWN_COMPUTER`), with the versions
the tests ran: ``constraints.txt``, exported from uv.lock by :func:`constraints` (what the lessons
import plus the ``lab`` group, JupyterLab), is passed to every ``pip install`` with ``-c``.
"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

from student_routes import launch_urls, load_config

ROOT = Path(__file__).resolve().parents[1]
#: The pins file beside the README, and what it is exported from: uv.lock's runtime dependencies
#: and the ``lab`` group (JupyterLab), which are what a student installs.
CONSTRAINTS = "constraints.txt"
CONSTRAINTS_EXPORT = ("--frozen", "--no-hashes", "--no-emit-project", "--no-default-groups", "--group", "lab")
#: The lesson a student starts with, the one the README's links open.
FIRST_LESSON = "notebooks/00_getting_started.ipynb"

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
.venv/bin/python -m pip install -c {constraints} "{jupyterlab}"
.venv/bin/jupyter lab notebooks
```

```powershell
# Windows
.venv\\Scripts\\python -m pip install -c {constraints} "{jupyterlab}"
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


def jupyterlab_requirement(root: Path = ROOT) -> str:
    """JupyterLab as the course's ``lab`` dependency group pins it (``jupyterlab>=4.4,<5``)."""
    groups = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["dependency-groups"]
    return next(str(r) for r in groups["lab"] if str(r).startswith("jupyterlab"))


def _own_computer(target: str, get_copy: str, root: Path = ROOT) -> str:
    return OWN_COMPUTER.format(
        target=target, jupyterlab=jupyterlab_requirement(root), constraints=CONSTRAINTS, get_copy=get_copy
    )


def handout_readme(wheel: str, root: Path = ROOT) -> str:
    """The handout's README: the wheel ``wheel`` (its file name) is beside it."""
    intro = (
        "This folder holds the course's lessons, in `notebooks/`, and the course package with all its\n"
        f"datasets:\n\n    {wheel}\n"
    )
    setup = (
        "The first code cell of each lesson is a set-up cell. With the environment above it does\n"
        f"nothing; in a Python that lacks the course package it installs `{wheel}` from this folder."
    )
    return "\n".join(
        [
            TITLE,
            intro,
            "## On your own computer\n",
            _own_computer(
                wheel, "Open a terminal (on Windows, PowerShell) in this folder, the one holding this README.", root
            ),
            WORKING.format(first=FIRST_LESSON, setup_cell=setup),
        ]
    )


def branch_readme(root: Path = ROOT) -> str:
    """The ``student`` branch's README: its links are the website's launch links (``tools/student_routes.py``)."""
    config = load_config(root)
    repository = config["repository"]
    repo_url, branch = str(repository["url"]).rstrip("/"), str(repository["branch"])
    links = launch_urls(config, FIRST_LESSON)
    intro = (
        "The course's lessons are in `notebooks/`, each exercise left for you to answer. Open them\n"
        "online, with nothing to install, or on your own computer.\n"
    )
    online = ["## Online\n"]
    if "Binder" in links:
        online.append(
            "- **On Binder**, in your web browser: this link builds the course's environment from\n"
            f"  `binder/` and opens the first lesson in JupyterLab:\n  <{links['Binder']}>\n"
        )
    if "JupyterHub" in links:
        online.append(
            "- **On your course's JupyterHub**: this link copies the lessons into your home folder\n"
            f"  on the hub and opens the first lesson:\n  <{links['JupyterHub']}>\n"
        )
    else:
        online.append(
            "- **On your course's JupyterHub**, if it has one: use the link your course gives you. It\n"
            "  copies the lessons into your home folder on the hub and opens one in JupyterLab.\n"
        )
    get_copy = (
        f"The `{branch}` branch of the course's repository holds the lessons with the course package\n"
        f"and its datasets. Get a copy of it: download <{repo_url}/archive/refs/heads/{branch}.zip> and\n"
        f"unzip it, or `git clone --branch {branch} {repo_url}`. Then open a terminal (on Windows,\n"
        "PowerShell) in the folder of that copy, the one holding `pyproject.toml`."
    )
    setup = (
        "The first code cell of each lesson is a set-up cell. With the environment above, or on\n"
        "Binder or a hub, it does nothing."
    )
    return "\n".join(
        [
            TITLE,
            intro,
            *online,
            "## On your own computer\n",
            _own_computer(".", get_copy, root),
            WORKING.format(first=FIRST_LESSON, setup_cell=setup),
        ]
    )
