"""The ``student`` branch (``make student-branch``, ``tools/student_branch.py``) holds what every route needs,
and so does the Russian ``student-ru`` (``make student-branch-ru``), which the Russian website opens.

The branches' files are written into temporary folders, as the Publish workflow writes them
before committing. Then:

- every path that ``binder/postBuild`` reads, and every path book/hub.md says the image or the
  nbgitpuller link uses, is there (both are parsed, not listed here);
- its README is the student's: each ``pip install`` uses the pins beside it, every path it
  names is there, and its Binder link is the website's;
- ``binder/postBuild`` runs, from the folder, in a fresh environment holding what
  binder/requirements.txt pins (made by uv from its cache, offline, as tests/test_handout.py
  makes its own), with pip and no package index: the course package is built with the pinned
  hatchling (``--no-build-isolation``) and installed, and the JupyterLab settings copied;
- every lesson of the folder then runs in that environment's kernel with no error, and its
  set-up cell has nothing to install;
- the Russian branch holds the Russian student edition (lessons whose metadata say ``ru``, no
  solution, no output) at the same paths, its README in Russian with the Russian website's launch
  links, and otherwise the English branch's files but for JupyterLab's settings, which choose the
  Russian interface; its ``binder/postBuild``, run in an environment of its own, leaves JupyterLab
  opening in Russian (as JupyterLab's own settings code reads it), and its lessons run there.

About two minutes: each environment is about a hundred packages linked from uv's cache, and each
lesson starts its own kernel.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest
from packaging.markers import Marker

from csto_course.authoring.lesson import MARKERS, lesson_paths
from csto_course.authoring.release import CODE_STUB, LAB_LOCALES, LAB_SETTINGS, LAB_TRANSLATION_PLUGIN, lab_settings
from csto_course.authoring.translations import is_translatable, paragraphs
from csto_course.language import metadata_language, translate

from .conftest import ROOT
from .student_envs import kernel_spec, run, run_student_lesson, sync, uv

#: Minutes, not seconds: the student branch is written and its postBuild run
#: (`make test` runs it, `make check` does not).
pytestmark = pytest.mark.slow

LESSONS = [p.name for p in lesson_paths(ROOT)]
KERNEL = "csto-student-branch"
RU_KERNEL = "csto-student-branch-ru"
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
HUB_PAGE = (ROOT / "book" / "hub.md").read_text(encoding="utf-8")

sys.path.insert(0, str(ROOT / "tools"))  # student_readme imports student_routes, as when run as a script
_spec = importlib.util.spec_from_file_location("student_readme", ROOT / "tools" / "student_readme.py")
assert _spec and _spec.loader
student_readme = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(student_readme)
sys.path.pop(0)


def _make_variable(name: str) -> list[str]:
    line = next(line for line in MAKEFILE.splitlines() if re.match(rf"{name}\s*:=", line))
    return line.split(":=", 1)[1].split()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A temporary folder, with a JUPYTER_PATH of its own for the test's kernel."""
    folder = tmp_path_factory.mktemp("student-branch")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(folder / "jupyter"))
        patch.delenv("CSTO_DATA_DIR", raising=False)  # the kernel must read the installed package's data
        yield folder


@pytest.fixture(scope="module")
def branch(workdir: Path) -> Path:
    """The branch's files, written by tools/student_branch.py as `make student-branch DIR=...` does."""
    folder = workdir / "branch"
    run(sys.executable, ROOT / "tools" / "student_branch.py", folder, "--uv", uv())
    return folder


@pytest.fixture(scope="module")
def branch_ru(workdir: Path) -> Path:
    """The ``student-ru`` branch's files, as `make student-branch-ru DIR=...` writes them."""
    folder = workdir / "branch-ru"
    run(sys.executable, ROOT / "tools" / "student_branch.py", folder, "--lang", "ru", "--uv", uv())
    return folder


# --- What the branch holds ------------------------------------------------------------------


def postbuild_commands(path: Path) -> list[list[str]]:
    """binder/postBuild's commands, split as the shell splits them (continuations joined, comments dropped)."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    return [words for line in text.splitlines() if (words := shlex.split(line, comments=True))]


def postbuild_paths(path: Path) -> list[str]:
    """The repository paths postBuild reads: ``.`` for pip's project, and each relative path it names."""
    found = []
    for words in postbuild_commands(path):
        if words[:2] == ["pip", "install"]:
            found += [w for w in words[2:] if not w.startswith("-")]
        found += [w for w in words if "/" in w and not w.startswith(("/", "$", "-")) and "://" not in w]
    return found


def project_paths(pyproject: Path) -> list[str]:
    """What ``pip install .`` reads besides pyproject.toml: hatchling's packages, included files and
    shared data, and the readme if it names one."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    readme = [project["project"]["readme"]] if "readme" in project["project"] else []
    return [*wheel.get("packages", []), *wheel.get("force-include", {}), *wheel.get("shared-data", {}), *readme]


def hub_page_paths() -> list[str]:
    """What book/hub.md says the student branch holds and the image and the link use."""
    paths = [span for span in re.findall(r"`([^`\s]+)`", HUB_PAGE) if re.match(r"(binder|notebooks)/", span)]
    link = next(line for line in HUB_PAGE.splitlines() if "git-pull?" in line)
    urlpath = parse_qs(urlparse(link.strip()).query)["urlpath"][0]
    paths.append(urlpath.split("/", 3)[3])  # lab/tree/<folder>/<notebook>
    return paths


def test_the_branch_has_every_path_postbuild_reads(branch: Path) -> None:
    postbuild = branch / "binder" / "postBuild"
    assert postbuild.is_file() and os.access(postbuild, os.X_OK), "repo2docker runs binder/postBuild: executable"
    paths = postbuild_paths(postbuild)
    assert "." in paths and any(p.startswith("lab/") for p in paths), f"postBuild reads {paths}"
    for path in paths:
        assert (branch / path).exists(), f"binder/postBuild reads {path}, which the student branch lacks"
    # pip install . reads the project's build configuration, and what it names.
    for path in project_paths(branch / "pyproject.toml"):
        assert (branch / path).exists(), f"pip install . needs {path}, which the student branch lacks"


def test_the_branch_has_every_path_the_hub_page_uses(branch: Path) -> None:
    paths = hub_page_paths()
    assert {"binder/requirements.txt", "binder/postBuild"} <= set(paths)
    for path in paths:
        assert list(branch.glob(path.rstrip("/"))), f"book/hub.md uses {path}, which the student branch lacks"
    assert (branch / "binder" / "runtime.txt").is_file(), "repo2docker's Python version"
    assert (branch / "binder" / "requirements.txt").read_bytes() == (ROOT / "binder" / "requirements.txt").read_bytes()


def test_the_branch_holds_the_student_edition_and_the_licences(branch: Path) -> None:
    assert sorted(p.name for p in (branch / "notebooks").glob("*.ipynb")) == sorted(LESSONS)
    for name in LESSONS:
        nb = nbformat.read(branch / "notebooks" / name, as_version=4)
        for cell in nb.cells:
            assert not any(marker in cell.source for marker in MARKERS), f"{name}: a solution is left"
            assert cell.get("outputs", []) == [], f"{name}: an output is left"
    for licence in ("LICENSE", "LICENSE-CONTENT"):
        assert (branch / licence).read_bytes() == (ROOT / licence).read_bytes()
    assert not list(branch.rglob("__pycache__")), "caches were copied"


def test_the_readme_is_the_students(branch: Path) -> None:
    readme = (branch / "README.md").read_text(encoding="utf-8")
    assert readme == student_readme.branch_readme(ROOT)
    assert readme != (ROOT / "README.md").read_text(encoding="utf-8")
    for word in ("chromium", "make", "instructor", "solution"):
        assert not re.search(rf"\b{word}", readme, re.I), f"the student README mentions {word!r}"
    installs = re.findall(r"^.*pip install.*$", readme, re.M)
    assert len(installs) >= 4 and all(" -m pip install -c constraints.txt " in line for line in installs), installs
    named = [s for s in re.findall(r"`([^`\s]+)`", readme) if "/" in s or ("." in s and "..." not in s)]
    for path in named:
        if not path.startswith(("http", ".venv")):
            assert list(branch.glob(path.rstrip("/"))), f"the README names {path}, which the branch lacks"
    config = student_readme.language_config("en", ROOT)
    binder = student_readme.launch_urls(config, student_readme.FIRST_LESSON)["Binder"]
    assert f"<{binder}>" in readme
    assert (branch / student_readme.FIRST_LESSON).is_file()


def test_make_student_writes_the_same_readme_beside_the_edition() -> None:
    """`make student` (tools/student_branch.py --edition) never copies the developer README."""
    recipe = MAKEFILE.split("\nstudent:", 1)[1].split("\n\n", 1)[0]
    assert "tools/student_branch.py --edition" in recipe


# --- binder/postBuild, offline, and the lessons in the environment it made ------------------


def binder_pins(text: str) -> dict[str, str]:
    """binder/requirements.txt's pins for this Python (name -> version)."""
    pins = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith((" ", "#")):
            requirement, _, marker = line.partition(";")
            name, _, version = requirement.strip().partition("==")
            if not marker.strip() or Marker(marker).evaluate():
                pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def binder_environment(folder: Path, branch: Path) -> Path:
    """A fresh environment at ``folder`` with binder/requirements.txt's pins and pip, in which ``branch``'s
    binder/postBuild has run; its python."""
    flags = _make_variable("BINDER_EXPORT")
    groups = [arg for i, flag in enumerate(flags) if flag == "--group" for arg in ("--group", flags[i + 1])]
    # The packages `make env` leaves out are in binder/requirements.txt but not in uv's cache.
    skipped = _make_variable("SKIPPED_PACKAGES")
    python = sync(folder, *groups, *(arg for name in skipped for arg in ("--no-install-package", name)))
    # What Binder installs, but for the packages make env leaves out.
    frozen = run(uv(), "pip", "freeze", "--python", python)
    installed = dict(line.split("==") for line in frozen.splitlines() if "==" in line)
    installed = {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in installed.items()}
    pins = binder_pins((branch / "binder" / "requirements.txt").read_text(encoding="utf-8"))
    assert installed == {name: v for name, v in pins.items() if name not in skipped}
    # repo2docker's environment has `pip`: here, the copy bundled with Python (ensurepip), offline.
    ensurepip = subprocess.run(
        [python, "-m", "ensurepip", "--default-pip"], capture_output=True, text=True, timeout=300
    )
    if ensurepip.returncode != 0:
        pytest.skip(f"this Python cannot install pip offline (ensurepip): {ensurepip.stderr.strip()[-200:]}")
    # postBuild as repo2docker runs it, from the branch's root, with this environment first on
    # PATH; pip has no index and no configuration, so anything it tried to download would fail.
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    env |= {
        "PATH": f"{python.parent}{os.pathsep}{os.environ['PATH']}",
        "VIRTUAL_ENV": str(python.parent.parent),
        "PIP_NO_INDEX": "1",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    result = subprocess.run(
        [branch / "binder" / "postBuild"], cwd=branch, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"binder/postBuild failed:\n{result.stdout}\n{result.stderr}"
    return python


@pytest.fixture(scope="module")
def binder_python(workdir: Path, branch: Path) -> Path:
    """The image of the ``student`` branch: binder/requirements.txt's pins, then its postBuild."""
    python = binder_environment(workdir / "binder-env", branch)
    kernel_spec(workdir / "jupyter", KERNEL, python)
    return python


@pytest.fixture(scope="module")
def binder_python_ru(workdir: Path, branch_ru: Path) -> Path:
    """The image of the ``student-ru`` branch, in an environment of its own."""
    python = binder_environment(workdir / "binder-env-ru", branch_ru)
    kernel_spec(workdir / "jupyter", RU_KERNEL, python)
    return python


def test_postbuild_installs_the_package_and_the_lab_settings(binder_python: Path, branch: Path) -> None:
    code = (
        "import csto_course, csto_course.data as d, json; print(json.dumps([csto_course.__file__, str(d.data_dir())]))"
    )
    module, data = map(Path, json.loads(run(binder_python, "-c", code, cwd=branch.parent)))
    prefix = binder_python.parent.parent
    # Installed into the environment, not read from the branch's folder (a hub mounts over it).
    assert module.is_relative_to(prefix) and data.is_relative_to(prefix), (module, data)
    assert (data / "datapackage.json").is_file()
    settings = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "csto-course.json"
    assert settings.read_bytes() == (branch / "lab" / "settings" / "overrides.d" / "csto-course.json").read_bytes()


#: Each published branch: its folder's fixture, the image's Python's fixture and its kernel's name.
BRANCHES = {"student": ("branch", "binder_python", KERNEL), "student-ru": ("branch_ru", "binder_python_ru", RU_KERNEL)}


@pytest.mark.parametrize("lesson", LESSONS)
@pytest.mark.parametrize("name", sorted(BRANCHES))
def test_each_lesson_runs_from_the_branch_in_its_image(request: pytest.FixtureRequest, name: str, lesson: str) -> None:
    folder, python, kernel = BRANCHES[name]
    request.getfixturevalue(python)  # the image's environment, with its kernel, built from the branch
    code, problems = run_student_lesson(request.getfixturevalue(folder), lesson, kernel)
    assert code[0].outputs == [], f"{lesson}: the set-up cell should do nothing where postBuild installed the package"
    assert not problems, f"{lesson} shows errors on the {name} branch's image:\n" + "\n".join(problems)


# --- The Russian branch, student-ru -------------------------------------------------------


def test_the_russian_branch_holds_the_russian_student_edition_at_the_same_paths(branch_ru: Path) -> None:
    assert sorted(p.name for p in (branch_ru / "notebooks").glob("*.ipynb")) == sorted(LESSONS)
    stub = translate(CODE_STUB, "ru")
    assert stub != CODE_STUB
    for name in LESSONS:
        nb = nbformat.read(branch_ru / "notebooks" / name, as_version=4)
        assert metadata_language(nb.metadata) == "ru", f"{name} on student-ru is not the Russian lesson"
        for cell in nb.cells:
            assert not any(marker in cell.source for marker in MARKERS), f"{name}: a solution is left"
            assert cell.get("outputs", []) == [], f"{name}: an output is left"
        assert "YOUR CODE HERE" not in "".join(c.source for c in nb.cells), f"{name}: an English stub"
    assert any(stub in c.source for c in nbformat.read(branch_ru / "notebooks" / LESSONS[1], as_version=4).cells)


def test_the_russian_branch_differs_from_the_english_only_in_its_language(branch: Path, branch_ru: Path) -> None:
    """The same package, data, binder/ and licences; the lessons, the README and JupyterLab's settings in Russian."""
    files = {p.relative_to(branch).as_posix() for p in branch.rglob("*") if p.is_file()}
    assert files == {p.relative_to(branch_ru).as_posix() for p in branch_ru.rglob("*") if p.is_file()}
    differ = {f for f in files if (branch / f).read_bytes() != (branch_ru / f).read_bytes()}
    assert differ == {"README.md", LAB_SETTINGS, *(f"notebooks/{name}" for name in LESSONS)}


def test_the_russian_branch_opens_jupyterlab_in_russian(branch: Path, branch_ru: Path) -> None:
    settings = json.loads((branch_ru / LAB_SETTINGS).read_text(encoding="utf-8"))
    assert settings == lab_settings(ROOT, "ru"), "the Russian handout's rule (release.lab_settings)"
    assert settings[LAB_TRANSLATION_PLUGIN]["locale"] == LAB_LOCALES["ru"] == "ru_RU"
    assert LAB_TRANSLATION_PLUGIN not in json.loads((branch / LAB_SETTINGS).read_text(encoding="utf-8"))
    pack = "jupyterlab-language-pack-" + LAB_LOCALES["ru"].replace("_", "-").lower()
    assert pack in binder_pins((branch_ru / "binder" / "requirements.txt").read_text(encoding="utf-8"))
    # What postBuild installs is the file the package writes in the branch's language.
    assert any(LAB_SETTINGS in w for words in postbuild_commands(branch_ru / "binder" / "postBuild") for w in words)


def test_the_russian_readme_is_in_russian_with_the_russian_sites_links(branch: Path, branch_ru: Path) -> None:
    readme = (branch_ru / "README.md").read_text(encoding="utf-8")
    assert readme == student_readme.branch_readme(ROOT, "ru")
    config = student_readme.language_config("ru", ROOT)
    assert config["repository"]["branch"] == "student-ru"
    binder = student_readme.launch_urls(config, student_readme.FIRST_LESSON)["Binder"]
    assert f"<{binder}>" in readme and "/student-ru?" in binder
    assert "`student-ru`" in readme and "--branch student-ru " in readme
    english = (branch / "README.md").read_text(encoding="utf-8")
    shown = {t for t, is_paragraph in paragraphs(english) if is_paragraph and is_translatable(t)}
    left = [t for t, is_paragraph in paragraphs(readme) if is_paragraph and t in shown]
    assert not left, f"English paragraphs left in the Russian README: {left[:2]}"
    installs = re.findall(r"^.*pip install.*$", readme, re.M)
    assert len(installs) >= 4 and all(" -m pip install -c constraints.txt " in line for line in installs), installs


def test_the_russian_image_opens_jupyterlab_in_russian(binder_python_ru: Path, branch_ru: Path) -> None:
    """JupyterLab's own settings code, in the environment postBuild made, reads ru_RU as the interface's
    language, and the Russian language pack is there to give it."""
    code = (
        "import json, os\n"
        "from jupyterlab.commands import get_app_dir\n"
        "from jupyterlab_server.settings_utils import _get_overrides, _get_schema\n"
        "from jupyterlab_server.translation_utils import get_language_packs\n"
        "app = get_app_dir()\n"
        "overrides, error = _get_overrides(os.path.join(app, 'settings'))\n"
        f"schema, _ = _get_schema(os.path.join(app, 'schemas'), {LAB_TRANSLATION_PLUGIN!r}, overrides, None)\n"
        "print(json.dumps([schema['properties']['locale']['default'], error, sorted(get_language_packs()[0])]))\n"
    )
    locale, error, packs = json.loads(run(binder_python_ru, "-c", code, cwd=branch_ru.parent))
    assert not error and locale == LAB_LOCALES["ru"], (locale, error)
    assert LAB_LOCALES["ru"] in packs, f"the image has no {LAB_LOCALES['ru']} language pack: {packs}"
