"""Make the student handout, one zip a student can work from offline (run: make handout).

``_build/csto-course-student.zip`` holds one folder, ``csto-course-student/``, with:

- ``notebooks/``: the student edition of every lesson (``csto_course.authoring.release``: solutions
  replaced by stubs, outputs cleared, checks locked);
- ``csto_course-<version>-py3-none-any.whl``: the course package with its datasets, built by
  ``uv build --wheel`` (pyproject.toml's force-include puts ``data/`` in it as
  ``csto_course/_data``);
- ``README.md``: how a student installs Python and the wheel and opens the lessons in JupyterLab
  or VS Code (:data:`README`); and the two licence files.

Each lesson's set-up cell installs the wheel it finds beside the ``notebooks`` folder when the
kernel lacks the course package, so a lesson opened with any Python still finds its data.

The zip is reproducible: entries are sorted and dated 2020-02-02, as in the wheel.

    python tools/handout.py [OUT.zip] [--uv PATH]

``--uv`` names the uv to build with (default: ``uv`` on the PATH, else ``.tools/bin/uv``).
A lesson the student edition refuses stops the script with one sentence and status 1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

from csto_course.authoring.release import ReleaseError, build_student_edition, student_package

ROOT = Path(__file__).resolve().parents[1]

OUT = ROOT / "_build" / "csto-course-student.zip"
FOLDER = "csto-course-student"
#: The date every entry of the zip carries, so two builds of the same files are the same bytes.
DATE = (2020, 2, 2, 0, 0, 0)
LICENCES = ("LICENSE", "LICENSE-CONTENT")

#: The student's README; ``{wheel}`` and ``{jupyterlab}`` are filled in by :func:`readme`.
README = """\
# A Fading Alliance? The CSTO in data: student copy

This folder holds the course's lessons, in `notebooks/`, and the course package with all its
datasets:

    {wheel}

You need Python 3.11 or newer. The internet is needed once, to install the packages the
lessons use (pandas, Altair, ipywidgets); after that the lessons work offline.

## 1. Install Python

- **Windows and macOS:** download Python 3.11 or newer from <https://www.python.org/downloads/>
  and run the installer (on Windows, tick "Add python.exe to PATH").
- **Linux:** use your distribution's Python 3.11 or newer (on Debian and Ubuntu also install
  `python3-venv`).

## 2. Install the course

Open a terminal (on Windows, PowerShell) in this folder, the one holding this README. Create an
environment for the course in it, `.venv`, and install the course package into it:

```bash
# macOS and Linux
python3 -m venv .venv
.venv/bin/python -m pip install {wheel}
```

```powershell
# Windows
py -m venv .venv
.venv\\Scripts\\python -m pip install {wheel}
```

## 3. Open the lessons

**In JupyterLab.** Install it in the same environment once, then start it on the lessons:

```bash
# macOS and Linux
.venv/bin/python -m pip install "{jupyterlab}"
.venv/bin/jupyter lab notebooks
```

```powershell
# Windows
.venv\\Scripts\\python -m pip install "{jupyterlab}"
.venv\\Scripts\\jupyter lab notebooks
```

JupyterLab opens in your web browser. Stop it with Ctrl+C in the terminal.

**Or in VS Code.** Install [VS Code](https://code.visualstudio.com/) and its Python and Jupyter
extensions. Open this folder (File > Open Folder...), open a lesson in `notebooks/`, click
"Select Kernel" at the top right and choose the `.venv` environment.

## Working through a lesson

Start with `notebooks/00_getting_started.ipynb`, then go in order. Run the cells from the top
(Shift+Enter runs one). In each exercise, replace the `...` with your answer and run the check
cell below it: it says "Not attempted yet" until you do, then whether your answer is right.

The first code cell of each lesson is a set-up cell. With the environment above it does
nothing; in a Python that lacks the course package it installs `{wheel}` from this folder.

The course's code is under the MIT licence (`LICENSE`); its text, notebooks and data under
CC BY 4.0 (`LICENSE-CONTENT`).
"""


def find_uv() -> str:
    """uv on the PATH, else the private copy ``make`` installs in .tools/."""
    found = shutil.which("uv") or shutil.which(str(ROOT / ".tools" / "bin" / "uv"))
    if not found:
        raise SystemExit("handout: uv not found; run `make env` first, or pass --uv PATH.")
    return found


def build_wheel(uv: str, out_dir: Path) -> Path:
    """Build the student package's wheel (with the data, without the graders or the answer key) into
    ``out_dir`` and return its path (``csto_course.authoring.release.student_package`` writes its tree)."""
    tree = student_package(ROOT, out_dir / "student-package")
    subprocess.run([uv, "build", "--wheel", "--quiet", "--out-dir", str(out_dir.resolve())], cwd=tree, check=True)
    wheels = sorted(out_dir.glob("csto_course-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"handout: expected one wheel from uv build, found {[w.name for w in wheels]}.")
    return wheels[0]


def jupyterlab_requirement() -> str:
    """JupyterLab as the course's ``lab`` dependency group pins it (``jupyterlab>=4.4,<5``)."""
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["dependency-groups"]
    return next(str(r) for r in groups["lab"] if str(r).startswith("jupyterlab"))


def readme(wheel: str) -> str:
    return README.format(wheel=wheel, jupyterlab=jupyterlab_requirement())


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=DATE)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def build_handout(out: Path, uv: str) -> Path:
    """Write the handout zip to ``out``; return it."""
    with tempfile.TemporaryDirectory(prefix="csto-handout-") as tmp:
        staging = Path(tmp)
        # The student edition first: a refused lesson stops before anything is built.
        notebooks = build_student_edition(ROOT, staging / "notebooks")
        wheel = build_wheel(uv, staging / "dist")
        files = {f"notebooks/{p.name}": p.read_bytes() for p in notebooks}
        files[wheel.name] = wheel.read_bytes()
        files["README.md"] = readme(wheel.name).encode("utf-8")
        files.update({name: (ROOT / name).read_bytes() for name in LICENCES})
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".part")
        with zipfile.ZipFile(partial, "w") as archive:
            for name in sorted(files):
                _add(archive, name, files[name])
        partial.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Zip the student edition, the course wheel and a README.")
    parser.add_argument("out", nargs="?", type=Path, default=OUT, help=f"the zip to write (default: {OUT})")
    parser.add_argument("--uv", help="the uv to build the wheel with (default: uv on PATH, else .tools/bin/uv)")
    args = parser.parse_args(argv)
    uv = os.path.abspath(args.uv) if args.uv and os.sep in args.uv else (args.uv or find_uv())
    try:
        out = build_handout(args.out.resolve(), uv)
    except ReleaseError as error:
        print(f"Handout not written: {error}", file=sys.stderr)
        return 1
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
    size = out.stat().st_size / 1e6
    print(f"Handout: {out} ({size:.1f} MB): {len(names)} files in {FOLDER}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
