"""Make the student handout, one zip a student can work from offline (run: make handout).

``_build/csto-course-student.zip`` holds one folder, ``csto-course-student/``, with:

- ``notebooks/``: the student edition of every lesson (``csto_course.authoring.release``: solutions
  replaced by stubs, outputs cleared, checks locked);
- ``csto_course-<version>-py3-none-any.whl``: the course package with its datasets, built by
  ``uv build --wheel`` (pyproject.toml's force-include puts ``data/`` in it as
  ``csto_course/_data``);
- ``README.md``: how a student installs Python and the wheel and opens the lessons in JupyterLab
  or VS Code (``tools/student_readme.py``, which writes the student branch's README too);
- ``constraints.txt``: the versions uv.lock pins for what the lessons import and for JupyterLab,
  the set the tests ran; the README passes it to every ``pip install`` (``-c constraints.txt``);
- the two licence files.

Each lesson's set-up cell installs the wheel it finds beside the ``notebooks`` folder when the
kernel lacks the course package, so a lesson opened with any Python still finds its data.

``--lang ru`` makes the Russian handout, ``_build/csto-course-student-ru.zip`` with the folder
``csto-course-student-ru/``: the student edition of the Russian lessons, the README in Russian
(from its catalog, ``tools/student_readme.py``), and a wheel whose JupyterLab settings open
JupyterLab in Russian (``csto_course.authoring.release.lab_settings``), whose language pack the
README installs with JupyterLab.

The zip is reproducible: entries are sorted and all carry the date of the last commit
(``git log -1``; else ``SOURCE_DATE_EPOCH``; else 2020-02-02, as in the wheel), so the same
commit gives the same bytes.

    python tools/handout.py [OUT.zip] [--uv PATH] [--lang ru]

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
import time
import zipfile
from pathlib import Path

from student_readme import CONSTRAINTS, constraints, handout_readme

from csto_course.authoring.release import ReleaseError, build_student_edition, student_package

ROOT = Path(__file__).resolve().parents[1]

OUT = ROOT / "_build" / "csto-course-student.zip"
FOLDER = "csto-course-student"
#: The handout's languages: English, and those the course's lessons are published in.
LANGUAGES = ("en", "ru")


def folder(language: str = "en") -> str:
    """The one folder the zip holds: ``csto-course-student``, or ``csto-course-student-ru``."""
    return FOLDER if language == "en" else f"{FOLDER}-{language}"


def default_out(language: str = "en") -> Path:
    return OUT.with_name(folder(language) + ".zip")


#: The date of every entry of the zip when there is no commit or SOURCE_DATE_EPOCH to take it from
#: (:func:`handout_date`): one date for all, so two builds of the same files are the same bytes.
DATE = (2020, 2, 2, 0, 0, 0)
#: The zip format cannot hold a date before 1980.
ZIP_EPOCH = 315532800
LICENCES = ("LICENSE", "LICENSE-CONTENT")


def find_uv() -> str:
    """uv on the PATH, else the private copy ``make`` installs in .tools/."""
    found = shutil.which("uv") or shutil.which(str(ROOT / ".tools" / "bin" / "uv"))
    if not found:
        raise SystemExit("handout: uv not found; run `make env` first, or pass --uv PATH.")
    return found


def build_wheel(uv: str, out_dir: Path, language: str = "en") -> Path:
    """Build the student package's wheel (with the data, without the graders or the answer key) into
    ``out_dir`` and return its path (``csto_course.authoring.release.student_package`` writes its tree;
    ``language`` chooses JupyterLab's interface language in its settings)."""
    tree = student_package(ROOT, out_dir / "student-package", language)
    subprocess.run([uv, "build", "--wheel", "--quiet", "--out-dir", str(out_dir.resolve())], cwd=tree, check=True)
    wheels = sorted(out_dir.glob("csto_course-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"handout: expected one wheel from uv build, found {[w.name for w in wheels]}.")
    return wheels[0]


def handout_date(root: Path = ROOT) -> tuple[int, int, int, int, int, int]:
    """The date of the handout's files: the last commit's, else ``SOURCE_DATE_EPOCH``'s, else :data:`DATE`.

    The same commit gives the same date, so two builds of it are the same bytes, and a student
    sees when the course was last changed. (Zip entries carry no time zone: UTC is written.)
    """
    epoch = None
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True)
        epoch = int(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None
    except OSError:  # no git here
        pass
    if epoch is None and os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    if epoch is None or epoch < ZIP_EPOCH:
        return DATE
    return time.gmtime(epoch)[:6]


def _add(archive: zipfile.ZipFile, name: str, data: bytes, date: tuple[int, int, int, int, int, int]) -> None:
    info = zipfile.ZipInfo(name, date_time=date)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def build_handout(out: Path, uv: str, language: str = "en") -> Path:
    """Write the handout zip in ``language`` to ``out``; return it."""
    with tempfile.TemporaryDirectory(prefix="csto-handout-") as tmp:
        staging = Path(tmp)
        # The student edition first: a refused lesson stops before anything is built.
        notebooks = build_student_edition(ROOT, staging / "notebooks", language)
        wheel = build_wheel(uv, staging / "dist", language)
        files = {f"notebooks/{p.name}": p.read_bytes() for p in notebooks}
        files[wheel.name] = wheel.read_bytes()
        files["README.md"] = handout_readme(wheel.name, ROOT, language).encode("utf-8")
        files[CONSTRAINTS] = constraints(uv, ROOT).encode("utf-8")
        files.update({name: (ROOT / name).read_bytes() for name in LICENCES})
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".part")
        date = handout_date(ROOT)
        with zipfile.ZipFile(partial, "w") as archive:
            for name in sorted(files):
                _add(archive, f"{folder(language)}/{name}", files[name], date)
        partial.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Zip the student edition, the course wheel and a README.")
    parser.add_argument("out", nargs="?", type=Path, help=f"the zip to write (default: {OUT}, or …-ru.zip)")
    parser.add_argument("--uv", help="the uv to build the wheel with (default: uv on PATH, else .tools/bin/uv)")
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="the lessons' language (default: en)")
    args = parser.parse_args(argv)
    uv = os.path.abspath(args.uv) if args.uv and os.sep in args.uv else (args.uv or find_uv())
    try:
        out = build_handout((args.out or default_out(args.lang)).resolve(), uv, args.lang)
    except ReleaseError as error:
        print(f"Handout not written: {error}", file=sys.stderr)
        return 1
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
    size = out.stat().st_size / 1e6
    print(f"Handout: {out} ({size:.1f} MB): {len(names)} files in {folder(args.lang)}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
