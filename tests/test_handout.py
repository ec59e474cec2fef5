"""The student handout (``make handout``, ``tools/handout.py``) runs with the runtime dependencies alone.

The zip is built and unzipped into a temporary folder. A fresh environment gets only what
uv.lock pins for the course's runtime dependencies, no dependency group, and the wheel from the
zip, installed by uv from its cache (``--offline``: the test never reaches the internet).
Every student notebook then runs in that environment, from the unzipped folder, as a
student's would: no error, and every check "Not attempted yet". Then the course package is
removed from that environment, and the lessons' set-up cell installs the wheel beside the
notebooks again with pip, offline, as it does for a student who skipped the installation.

Both handouts are tested so, the English and the Russian (``--lang ru``: the Russian lessons' student
edition, whose checks answer in Russian, a README in Russian, and JupyterLab's settings choosing its
Russian interface, whose language pack the README installs with JupyterLab).

Slow-ish (about a minute a language: each lesson starts its own kernel), but part of the normal run:
it is the only test of what a student installs.

The runtime set is installed by ``uv sync`` into the test's own folder
(``UV_PROJECT_ENVIRONMENT``), not by ``uv pip install -r``: ``uv sync`` reads each package's
address from uv.lock, so it needs only the files ``make env`` left in uv's cache, while
``uv pip install`` looks names up in the index's metadata, which a fresh machine's cache does
not hold (CI runs with an empty cache to prove it). The handout's wheel is then added by its
path, without dependencies, and ``uv pip check`` confirms the set is whole.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from packaging.markers import Marker

from csto_course.authoring.lesson import MARKERS, check_calls, lesson_paths
from csto_course.authoring.release import ANSWER_KEY_DATASETS, LAB_LOCALES, LAB_SETTINGS, lab_settings
from csto_course.exercises import lesson_modules
from csto_course.language import translate

from .conftest import ROOT
from .student_envs import kernel_spec as _kernel_spec
from .student_envs import run as _run
from .student_envs import run_student_lesson, sync
from .student_envs import uv as _uv

#: Minutes, not seconds: the handout's wheel is built and installed into fresh environments
#: (`make test` runs it, `make check` does not).
pytestmark = pytest.mark.slow

LESSONS = [p.name for p in lesson_paths(ROOT)]
#: The tools a student's environment must not need; their absence proves it does not.
AUTHORING_TOOLS = ("jupyterlab", "pytest", "jupyter_book", "nbval", "playwright", "mypy")
KERNEL = "csto-handout-runtime"
SETUP_KERNEL = "csto-handout-setup"
#: The handouts' languages, and the folder each zip holds.
LANGUAGES = ("en", "ru")
FOLDERS = {"en": "csto-course-student", "ru": "csto-course-student-ru"}


def _fresh_env(folder: Path, *extra: Path) -> Path:
    """A new environment at ``folder`` with uv.lock's runtime set (and ``extra`` wheels); its python."""
    python = sync(folder)
    if extra:
        install = ("pip", "install", "--quiet", "--no-deps", "--compile-bytecode")
        _run(_uv(), *install, "--python", python, *extra)
    _run(_uv(), "pip", "check", "--python", python)
    return python


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A temporary folder, with a JUPYTER_PATH of its own for the test's kernels."""
    folder = tmp_path_factory.mktemp("handout")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(folder / "jupyter"))
        patch.delenv("CSTO_DATA_DIR", raising=False)  # the kernels must read the wheel's data
        yield folder


@pytest.fixture(scope="module", params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _archive(workdir: Path, language: str) -> Path:
    return workdir / f"{FOLDERS[language]}.zip"


@pytest.fixture(scope="module")
def handout(workdir: Path, language: str) -> Path:
    """The handout in ``language``, built by tools/handout.py and unzipped: the folder ``csto-course-student``
    (``csto-course-student-ru``)."""
    archive = _archive(workdir, language)
    _run(sys.executable, ROOT / "tools" / "handout.py", archive, "--uv", _uv(), "--lang", language)
    with zipfile.ZipFile(archive) as zipped:
        assert {name.split("/")[0] for name in zipped.namelist()} == {FOLDERS[language]}
        zipped.extractall(workdir / "unzipped")
    return workdir / "unzipped" / FOLDERS[language]


@pytest.fixture(scope="module")
def wheel(handout: Path) -> Path:
    wheels = sorted(handout.glob("csto_course-*.whl"))
    assert len(wheels) == 1, f"one wheel expected beside the notebooks, found {wheels}"
    return wheels[0]


@pytest.fixture(scope="module")
def runtime_python(workdir: Path, wheel: Path, language: str) -> Path:
    """A fresh environment with the runtime set and the handout's wheel, and a kernel that runs it."""
    python = _fresh_env(workdir / f"runtime-env-{language}", wheel)
    _kernel_spec(workdir / "jupyter", f"{KERNEL}-{language}", python)
    return python


def test_the_zip_holds_the_student_edition_the_wheel_with_the_data_and_a_readme(
    handout: Path, wheel: Path, language: str
) -> None:
    assert sorted(p.name for p in (handout / "notebooks").glob("*.ipynb")) == LESSONS
    for name in LESSONS:
        nb = nbformat.read(handout / "notebooks" / name, as_version=4)
        assert nb.metadata.get("csto_course", {}).get("language", "en") == language, f"{name}: not in {language}"
        for cell in nb.cells:
            assert not any(marker in cell.source for marker in MARKERS), f"{name}: a solution is left"
    with zipfile.ZipFile(wheel) as zipped:
        names = set(zipped.namelist())
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        if resource["name"] in ANSWER_KEY_DATASETS:
            continue
        assert f"csto_course/_data/{resource['path']}" in names, f"the wheel lacks {resource['path']}"
    readme = (handout / "README.md").read_text(encoding="utf-8")
    assert f"pip install -c constraints.txt {wheel.name}" in readme
    assert "JupyterLab" in readme and "VS Code" in readme
    for word in ("chromium", "make", "instructor", "solution", "преподавател", "решени"):
        assert not re.search(rf"\b{word}", readme, re.I), f"the student README mentions {word!r}"
    if language != "en":  # read from its catalog: the English sentences are gone
        assert "## On your own computer" not in readme and "Start with" not in readme
        assert translate("Not attempted yet", language) in readme, (
            "the README quotes the check's words as it shows them"
        )


def test_the_readme_installs_jupyterlab_in_the_lessons_language(handout: Path, language: str) -> None:
    """JupyterLab is installed with the ``lab`` group's pins, and for a Russian handout its language pack,
    pinned in constraints.txt at uv.lock's version (the wheel's settings then choose it)."""
    readme = (handout / "README.md").read_text(encoding="utf-8")
    installs = [line for line in re.findall(r"^.*pip install.*$", readme, re.M) if "jupyterlab" in line]
    assert len(installs) == 2, f"JupyterLab's install, for macOS/Linux and Windows: {installs}"
    pins = {name: version for name, version, _ in constraint_pins((handout / "constraints.txt").read_text("utf-8"))}
    pack = f"jupyterlab-language-pack-{LAB_LOCALES['ru'].replace('_', '-')}"
    for line in installs:
        assert ('"jupyterlab>=' in line) and ((pack in line) == (language == "ru")), line
    assert pins.get(pack.lower()) in lock_versions()[pack.lower()], f"constraints.txt pins {pack} as uv.lock does"


def test_every_install_in_the_readme_uses_the_constraints_beside_it(handout: Path) -> None:
    """Each `pip install` of the README, for every system, installs the versions the tests ran."""
    readme = (handout / "README.md").read_text(encoding="utf-8")
    installs = re.findall(r"^.*pip install.*$", readme, re.M)
    assert len(installs) >= 4, f"expected the course and JupyterLab, for macOS/Linux and Windows: {installs}"
    for line in installs:
        assert " -m pip install -c constraints.txt " in line, f"README installs without the pins: {line!r}"
    assert (handout / "constraints.txt").is_file()


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_versions() -> dict[str, set[str]]:
    """The versions uv.lock pins of each package (two where the lock forks by Python version)."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    versions: dict[str, set[str]] = {}
    for package in lock["package"]:
        if "version" in package:
            versions.setdefault(_name(package["name"]), set()).add(package["version"])
    return versions


def constraint_pins(text: str) -> list[tuple[str, str, Marker | None]]:
    """Each pin of a requirements file: (name, version, environment marker or None)."""
    pins = []
    for line in text.splitlines():
        if line.strip() and not line.startswith((" ", "#")):
            requirement, _, marker = line.partition(";")
            name, _, version = requirement.strip().partition("==")
            assert version, f"constraints.txt: {line!r} is not a pin"
            pins.append((_name(name), version, Marker(marker) if marker.strip() else None))
    return pins


def test_the_constraints_pin_uv_locks_versions_of_what_a_student_installs(handout: Path, runtime_python: Path) -> None:
    """constraints.txt: uv.lock's version of each package; the runtime set the tests install, and JupyterLab."""
    pins = constraint_pins((handout / "constraints.txt").read_text(encoding="utf-8"))
    locked = lock_versions()
    for name, version, _ in pins:
        assert version in locked.get(name, set()), f"constraints.txt pins {name}=={version}, uv.lock {locked.get(name)}"
    # The pins for this Python (the runtime environment's: the test's own interpreter).
    here = {name: version for name, version, marker in pins if marker is None or marker.evaluate()}
    assert "jupyterlab" in here, "README installs JupyterLab with the pins: constraints.txt must pin it"
    # Every package of the environment the lessons ran in is pinned, at the version it had there.
    frozen = _run(_uv(), "pip", "freeze", "--python", runtime_python)
    # The course itself is the wheel (`csto-course @ file:...`), not a pin.
    installed = {_name(name): version for name, _, version in (line.partition("==") for line in frozen.splitlines())}
    installed = {name: version for name, version in installed.items() if not name.startswith("csto-course")}
    assert installed, "uv pip freeze listed nothing"
    assert {name: here.get(name) for name in installed} == installed


def _commit_date() -> tuple[int, ...] | None:
    done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0 or not done.stdout.strip():
        return None
    return time.gmtime(int(done.stdout))[:6]


def test_the_zip_carries_the_last_commits_date_and_the_same_commit_gives_the_same_bytes(
    workdir: Path, handout: Path, language: str
) -> None:
    archive = _archive(workdir, language)
    date = _commit_date()
    if date is None:
        pytest.skip("not a git checkout: the handout carries SOURCE_DATE_EPOCH's date or 2020-02-02")
    with zipfile.ZipFile(archive) as zipped:
        dates = {info.date_time for info in zipped.infolist()}
    # A zip stores seconds in steps of two.
    assert dates == {(*date[:5], date[5] // 2 * 2)}, f"the handout's files are dated {dates}, the commit {date}"
    again = workdir / f"again-{language}.zip"
    _run(sys.executable, ROOT / "tools" / "handout.py", again, "--uv", _uv(), "--lang", language)
    assert again.read_bytes() == archive.read_bytes(), "two builds of the same commit differ"


#: The parts of the package a lesson never imports: they stay in the clone (release.STUDENT_MODULES).
NOT_FOR_STUDENTS = ("csto_course/authoring/", "csto_course/website/", "csto_course/hub/")
#: The graders' modules: they compute the answers, so a student's wheel must not hold them.
GRADERS = [f"csto_course/exercises/{name}.py" for name in ("specs", "answers", "worked", *lesson_modules())]


def test_the_wheel_carries_only_what_a_lesson_imports(wheel: Path) -> None:
    """No authoring or website code, no grader and no answer key in a student's wheel; the sealed
    checks and the JupyterLab settings instead. The lessons' runs below show nothing is missing."""
    with zipfile.ZipFile(wheel) as zipped:
        names = zipped.namelist()
    modules = sorted(n for n in names if n.endswith(".py"))
    assert not [m for m in modules if m.startswith(NOT_FOR_STUDENTS)], f"the wheel ships {modules}"
    assert not [m for m in modules if m in GRADERS], f"the wheel ships graders: {sorted(set(modules) & set(GRADERS))}"
    for needed in ("csto_course/__init__.py", "csto_course/exercises/check.py", "csto_course/views/charts.py"):
        assert needed in modules, f"the wheel lacks {needed}"
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    keys = [r["path"] for r in package["resources"] if r["name"] in ANSWER_KEY_DATASETS]
    assert keys, "the answer-key datasets named in release.ANSWER_KEY_DATASETS are in datapackage.json"
    assert not [n for n in names if any(n.endswith(f"/{path}") for path in keys)], "the wheel holds an answer key"
    with zipfile.ZipFile(wheel) as zipped:
        shipped = json.loads(zipped.read("csto_course/_data/datapackage.json"))
    assert not {r["name"] for r in shipped["resources"]} & ANSWER_KEY_DATASETS
    assert "csto_course/exercises/sealed.json" in names
    settings = f"share/jupyter/{LAB_SETTINGS}"
    assert [n for n in names if n.endswith(f".data/data/{settings}")], f"the wheel lacks {settings} as shared data"


def test_the_wheel_installs_the_lab_settings_where_jupyterlab_reads_them(
    workdir: Path, wheel: Path, language: str
) -> None:
    """A real pip install (offline, no dependencies) puts the settings in <venv>/share/jupyter/lab/settings:
    the course's own, and in the Russian handout JupyterLab's interface in Russian."""
    folder = workdir / f"pip-env-{language}"
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, timeout=300)
    pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)]
    _run(*pip)
    installed = json.loads((folder / "share" / "jupyter" / LAB_SETTINGS).read_text(encoding="utf-8"))
    assert installed == lab_settings(ROOT, language)
    course = json.loads((ROOT / LAB_SETTINGS).read_text("utf-8"))
    assert {k: v for k, v in installed.items() if k in course} == course, "the course's own settings are kept"
    locale = installed.get("@jupyterlab/translation-extension:plugin", {}).get("locale")
    assert locale == LAB_LOCALES.get(language), f"the {language} handout opens JupyterLab in {locale}"


def test_the_fresh_environment_has_the_runtime_set_but_no_authoring_tools(runtime_python: Path) -> None:
    code = (
        "import importlib.util, json, csto_course.data as d; "
        f"print(json.dumps([[m, importlib.util.find_spec(m) is not None] for m in {list(AUTHORING_TOOLS)!r}]"
        " + [['data', str(d.data_dir())]]))"
    )
    found = dict(json.loads(_run(runtime_python, "-c", code)))
    data = Path(found.pop("data"))
    assert found == dict.fromkeys(AUTHORING_TOOLS, False), f"the student's environment has {found}"
    assert data.is_relative_to(runtime_python.parent.parent), f"the course reads its data from {data}"
    assert (data / "datapackage.json").exists()


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_student_notebook_runs_in_the_fresh_environment(
    runtime_python: Path, handout: Path, language: str, lesson: str
) -> None:
    """Each lesson runs without an error, every check of a student's ``...`` saying "Not attempted yet" in the
    lesson's language (the kernel finds the notebook as Jupyter Server tells it: tests/student_envs.py)."""
    code, problems = run_student_lesson(handout, lesson, f"{KERNEL}-{language}")
    not_attempted = translate("Not attempted yet", language)
    assert code[0].outputs == [], f"{lesson}: the set-up cell should do nothing when the package is installed"
    assert not problems, f"{lesson} shows errors in the student's environment:\n" + "\n".join(problems)
    checked = 0
    for cell in code:
        # A check of a variable the student fills in must say "not attempted"; a check of a
        # literal (a demonstration such as check(..., "nine")) keeps its own message.
        names = [call for call in check_calls(cell.source) if call.answer]
        if names:
            checked += len(names)
            text = "".join(output.get("data", {}).get("text/plain", "") for output in cell.outputs)
            assert text.count(not_attempted) >= len(names), f"{lesson}: {cell.source!r} gave {text!r}"
    assert checked, f"{lesson}: no exercise checked"


def test_the_set_up_cell_installs_the_wheel_beside_the_notebooks(
    workdir: Path, handout: Path, runtime_python: Path, wheel: Path, language: str
) -> None:
    """Without the course package, the set-up cell installs the handout's wheel with pip, offline.

    The runtime environment is reused, with the course package removed: the cell puts it back,
    so the environment is as the other tests expect whichever order they run in.
    """
    python = runtime_python
    _run(_uv(), "pip", "uninstall", "--quiet", "--python", python, "csto-course")
    assert _run(python, "-c", "import importlib.util; print(importlib.util.find_spec('csto_course'))").strip() == "None"
    ensurepip = subprocess.run([python, "-m", "ensurepip"], capture_output=True, text=True, timeout=300)
    if ensurepip.returncode != 0:  # pip from the copy bundled with Python: no download
        pytest.skip(f"this Python cannot install pip offline (ensurepip): {ensurepip.stderr.strip()[-200:]}")
    # No index: the wheel's dependencies are installed, so pip needs nothing from the internet.
    setup_kernel = f"{SETUP_KERNEL}-{language}"
    _kernel_spec(workdir / "jupyter", setup_kernel, python, {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    lesson = nbformat.read(handout / "notebooks" / LESSONS[0], as_version=4)
    setup = next(cell for cell in lesson.cells if cell.cell_type == "code")
    nb = nbformat.v4.new_notebook()
    nb.cells = [setup, nbformat.v4.new_code_cell("from csto_course import *\nload('states').shape[0] > 0")]
    NotebookClient(
        nb, timeout=120, kernel_name=setup_kernel, resources={"metadata": {"path": str(handout / "notebooks")}}
    ).execute()
    assert nb.cells[1].outputs[0]["data"]["text/plain"] == "True"
    where = "import importlib.util as u, pathlib as p; print(p.Path(u.find_spec('csto_course').origin).parents[1])"
    site = Path(_run(python, "-c", where).strip())
    direct_url = json.loads(next(site.glob("csto_course-*.dist-info")).joinpath("direct_url.json").read_text())
    assert direct_url["url"] == wheel.resolve().as_uri(), "pip installed the course from somewhere else"
