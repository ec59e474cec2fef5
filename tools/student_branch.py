"""Write the files of the ``student`` branch, or of the Russian ``student-ru``, into a folder
(run: make student-branch DIR=..., make student-branch-ru DIR=...).

The ``student`` branch is what every student route of the English website opens: Binder and a
hub's image are built from it (``binder/``), nbgitpuller copies it into a student's home on a hub,
and a student can download or clone it (book/hub.md; book/instructors.md, "Publishing your own
copy"). ``student-ru`` is the same for the Russian website (``--lang ru``; its name is
``csto_course.website.russian_site.student_branch``). The "Publish" workflow runs this script for
each, then commits each folder on top of its branch. A branch holds:

- ``notebooks/``: the student edition of every lesson (``csto_course.authoring.release``), in
  the branch's language: the Russian branch's are made from the catalogs, as the Russian
  handout's are, at the same paths;
- ``README.md`` and ``constraints.txt``: how a student opens the lessons, online or on their own
  computer, with the versions the tests ran (``tools/student_readme.py``, which writes the
  handout's README too, in the same language);
- the course package, which ``pip install .`` and ``pip install git+<address>@student`` install
  (:func:`package_files`), with the course's JupyterLab settings in ``lab/``: in the Russian
  branch they choose JupyterLab's Russian interface (``release.lab_settings``, the rule the
  Russian handout's wheel follows);
- ``binder/``: the image's pinned requirements, Python version and ``postBuild``, which installs
  the package and those settings (:data:`BINDER_NEEDS`), so the Russian branch's Binder and hub
  image open JupyterLab in Russian (``binder/requirements.txt`` installs its language pack);
- the two licence files.

``--edition`` writes only the lessons and the README (``make student`` does, into ``_build/student``
and ``_build/student-ru``).

    python tools/student_branch.py [OUT_DIR] [--uv PATH] [--edition] [--lang ru]

The folder is replaced. A folder that is not empty and does not look like one this script
wrote (with a ``notebooks`` folder) is refused, so a mistyped ``DIR`` cannot
empty the wrong folder. A lesson the student edition refuses stops the script with one
sentence and status 1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from student_readme import CONSTRAINTS, branch_readme, constraints

from csto_course.authoring.release import ReleaseError, build_student_edition, student_package

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "student-branch"
#: The branch's languages: English, and the Russian of ``student-ru``.
LANGUAGES = ("en", "ru")
#: The image's specification; ``binder/postBuild`` reads the package and its ``lab/`` settings,
#: which :func:`package_files` writes in the branch's language.
BINDER_NEEDS = ("binder",)
LICENCES = ("LICENSE", "LICENSE-CONTENT")
#: Never copied: caches Python and Jupyter write beside the sources, and data being prepared.
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info", "staging")


def _copy(root: Path, out: Path, names: tuple[str, ...]) -> None:
    for name in names:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=_IGNORE, dirs_exist_ok=True)
        else:
            shutil.copy2(source, out / name)


def package_files(root: Path, out: Path, language: str = "en") -> None:
    """The course package: what makes ``pip install .`` (postBuild) and ``pip install git+<address>@student`` work.

    The student package (``csto_course.authoring.release.student_package``), as the handout's wheel
    in ``language`` is built from: the package without the graders, the authoring tools or the
    answer key, with the sealed checks, its own pyproject.toml, the data and the JupyterLab
    settings (``lab/``, choosing the interface's language). So Binder, a hub and Colab install
    what the handout installs, and none of them the answers.
    """
    with tempfile.TemporaryDirectory(prefix="csto-student-package-") as tmp:
        tree = student_package(root, Path(tmp) / "package", language)
        shutil.copytree(tree, out, dirs_exist_ok=True)


def edition_files(root: Path, out: Path, uv: str, language: str = "en") -> list[Path]:
    """The lessons' student edition in ``language`` in ``out/notebooks``, and the README and pins a
    student reads; the notebooks."""
    notebooks = build_student_edition(root, out / "notebooks", language)
    (out / "README.md").write_text(branch_readme(root, language), encoding="utf-8")
    (out / CONSTRAINTS).write_text(constraints(uv, root), encoding="utf-8")
    return notebooks


def write_branch(root: Path, out: Path, uv: str, edition_only: bool = False, language: str = "en") -> list[Path]:
    """Replace ``out`` with the branch's files in ``language`` (or only the edition's); return the notebooks written."""
    _clear(out)
    out.mkdir(parents=True, exist_ok=True)
    notebooks = edition_files(root, out, uv, language)
    if not edition_only:
        package_files(root, out, language)
        _copy(root, out, (*BINDER_NEEDS, *LICENCES))
    return notebooks


def _clear(out: Path) -> None:
    if not out.exists():
        return
    out = out.resolve()
    if out == ROOT or ROOT.is_relative_to(out):
        raise SystemExit(f"student_branch: {out} holds the course itself; choose another folder.")
    if any(out.iterdir()) and not (out / "notebooks").is_dir():
        raise SystemExit(
            f"student_branch: {out} is not empty and not a student branch written before; not replacing it."
        )
    shutil.rmtree(out)


def find_uv() -> str:
    """uv on the PATH, else the private copy ``make`` installs in .tools/."""
    found = shutil.which("uv") or shutil.which(str(ROOT / ".tools" / "bin" / "uv"))
    if not found:
        raise SystemExit("student_branch: uv not found; run `make env` first, or pass --uv PATH.")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the files of the student branch into a folder.")
    parser.add_argument("out", nargs="?", type=Path, default=OUT, help=f"the folder to write (default: {OUT})")
    parser.add_argument("--uv", help="the uv that exports constraints.txt (default: uv on PATH, else .tools/bin/uv)")
    parser.add_argument("--edition", action="store_true", help="only the lessons, the README and constraints.txt")
    parser.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="the lessons' language (ru: the student-ru branch; default: en)"
    )
    args = parser.parse_args(argv)
    uv = os.path.abspath(args.uv) if args.uv and os.sep in args.uv else (args.uv or find_uv())
    out = args.out.resolve()
    try:
        notebooks = write_branch(ROOT, out, uv, edition_only=args.edition, language=args.lang)
    except ReleaseError as error:
        print(f"Student branch not written: {error}", file=sys.stderr)
        return 1
    what = "Student edition" if args.edition else "Student branch"
    print(f"{what}: {len(notebooks)} lesson(s), README.md and {CONSTRAINTS} in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
