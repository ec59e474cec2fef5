# A Fading Alliance? Everyday commands. Run `make help` for the list.
# Needs only Python 3.11+ and make: uv (the environment manager) is installed on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
UV_VERSION := 0.13.9
# Use uv from PATH if present, else a private copy in .tools/ installed with pip.
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
VENV := .venv
ENV_STAMP := $(VENV)/.synced
RUN := $(VENV)/bin
BOOK_FLAGS := -W -n --keep-going
# Locked packages the environment leaves out (see the environment's rule below).
SKIPPED_PACKAGES := rfc3987-syntax lark

.PHONY: help env lint check book student-book test student student-branch student-branch-ru handout lab bench vendor bib binder execute clean pdf shots \
	hub hub-proxy loadtest translations ru-lessons

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

.tools/bin/uv:
	@echo "uv not found: installing uv $(UV_VERSION) into .tools/ with pip"
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

# The environment is rebuilt from uv.lock whenever the lock or pyproject.toml changes. It has
# every dependency group (lab, book, test, lint: see pyproject.toml); a student's copy needs none.
# It leaves out rfc3987-syntax (and lark, its parser): jsonschema builds that module's grammar
# whenever it is imported, 1.7 s of CPU in every process that reads a notebook (nbval,
# nbgrader, the book build, JupyterLab), and it only checks the "iri" string format, which
# nothing here validates; jsonschema skips that check when the module is missing. The lock and
# binder/requirements.txt keep both. https://docs.astral.sh/uv/reference/cli/#uv-sync--no-install-package
$(ENV_STAMP): uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --all-groups --python $(PYTHON) $(SKIPPED_PACKAGES:%=--no-install-package %)
	@touch $@

env: $(ENV_STAMP) ## Create the Python environment from the lock file

bib: $(ENV_STAMP) ## Regenerate book/references.bib from data/sources.csv
	$(RUN)/python -m csto_course.authoring bib > book/references.bib

# Binder (and a hub's single-user image): what the lessons import, plus JupyterLab, plus the
# package's build backend (the `binder` group), so binder/postBuild builds the course package
# with the locked hatchling and no download.
BINDER_EXPORT := --frozen --no-hashes --no-emit-project --group lab --group binder --format requirements-txt
binder: $(ENV_STAMP) ## Re-export binder/requirements.txt from uv.lock (after changing dependencies)
	$(UV) export $(BINDER_EXPORT) > binder/requirements.txt

# The book runs no kernel: it shows the outputs saved in the lessons (nbval in `make test` proves
# them current; see _config.yml, "Execution"). Make rebuilds it only when a file it is made from
# is newer than the last build, and then Sphinx re-reads only the pages that changed.
BOOK_STAMP := _build/html/.built
BOOK_INPUTS := _config.yml _toc.yml pyproject.toml tools/student_routes.py $(wildcard bench/results.json bench/hub-load.json) \
	$(shell find book notebooks src data -type f -not -path '*/.ipynb_checkpoints/*' \
	  -not -path '*/__pycache__/*' -not -path 'data/staging/*' -not -name '*.pyc' 2>/dev/null)

$(BOOK_STAMP): $(ENV_STAMP) $(BOOK_INPUTS)
	$(RUN)/jupyter-book build . $(BOOK_FLAGS)
	$(RUN)/python tools/student_routes.py
	@touch $@

# The Russian lessons (csto_course.authoring.russian_edition): every lesson, translated from its
# catalog, run with the Russian language active (the kernel has no notebook path from a server
# here, so CSTO_COURSE_LANGUAGE chooses: csto_course.language), and saved as `make execute`
# saves the English ones. nbval re-runs them in `make test`; the Russian website is built from
# this folder. Rebuilt only when a lesson, a catalog, the package, the data or the tools change.
RU_LESSONS := _build/ru/notebooks
RU_LESSONS_STAMP := $(RU_LESSONS)/.executed
RU_INPUTS := pyproject.toml _toc.yml tools/normalize_notebooks.py locale/ru/published.txt \
	$(shell find notebooks locale/ru src data -type f -not -path '*/.ipynb_checkpoints/*' \
	  -not -path '*/__pycache__/*' -not -path 'data/staging/*' -not -name '*.pyc' 2>/dev/null)

$(RU_LESSONS_STAMP): $(ENV_STAMP) $(RU_INPUTS)
	@rm -f $@
	$(RUN)/python -m csto_course.authoring.russian_edition _build/ru
	CSTO_COURSE_LANGUAGE=ru $(RUN)/jupyter nbconvert --to notebook --execute --inplace $(EXECUTE_FLAGS) $(RU_LESSONS)/*.ipynb
	$(RUN)/python tools/normalize_notebooks.py $(RU_LESSONS)/*.ipynb
	@touch $@

ru-lessons: $(RU_LESSONS_STAMP) ## Write the Russian lessons to _build/ru/notebooks and run them in Russian (only when a source changed)

# The Russian website, _build/html/ru (csto_course.website.russian_site): its sources are staged
# in _build/ru-site from the English and the catalogs (locale/ru), with the Russian lessons of
# _build/ru/notebooks, and Jupyter Book 1 builds them with the flags above straight into
# _build/html/ru, which the English pages link to (and the Russian back). As for the English,
# make rebuilds it only when an input changed, and Sphinx re-reads only the pages that did.
RU_SITE := _build/ru-site
RU_STUDENT := _build/ru/student
RU_SITE_STAMP := _build/html/ru/.built

$(RU_SITE_STAMP): $(ENV_STAMP) $(BOOK_INPUTS) $(RU_INPUTS) $(RU_LESSONS_STAMP) | $(BOOK_STAMP)
	$(RUN)/python -m csto_course.website.russian_site stage $(RU_SITE) --lessons $(RU_LESSONS)
	$(RUN)/python -m csto_course.website.russian_site build $(RU_SITE) _build/html/ru
	$(RUN)/python tools/student_routes.py --html _build/html/ru --root $(RU_SITE) --student $(RU_STUDENT)
	@touch $@

book: $(BOOK_STAMP) $(RU_SITE_STAMP) ## Build the website, English and Russian (ru/), into _build/html (only when a source changed)
	@echo "Open _build/html/index.html in a browser (the Russian: _build/html/ru/index.html)."

# The student website: the same book without solutions, model answers, checks' "Correct." or the
# pages for instructors. tools/student_site.py stages its sources in _build/student-site (the
# lessons' website edition, see csto_course.authoring.release); Jupyter Book builds them there.
STUDENT_SITE := _build/student-site
STUDENT_HTML := $(STUDENT_SITE)/_build/html
STUDENT_STAMP := $(STUDENT_HTML)/.built

$(STUDENT_STAMP): $(ENV_STAMP) $(BOOK_INPUTS) tools/student_site.py
	$(RUN)/python tools/student_site.py $(STUDENT_SITE)
	$(RUN)/jupyter-book build $(STUDENT_SITE) $(BOOK_FLAGS)
	$(RUN)/python tools/student_routes.py --html $(STUDENT_HTML)
	@touch $@

# The Russian student website, $(STUDENT_HTML)/ru: the Russian site's sources staged the same way.
STUDENT_RU_SITE := _build/student-ru-site
STUDENT_RU_STAMP := $(STUDENT_HTML)/ru/.built

$(STUDENT_RU_STAMP): $(RU_SITE_STAMP) tools/student_site.py | $(STUDENT_STAMP)
	$(RUN)/python tools/student_site.py $(STUDENT_RU_SITE) --from $(RU_SITE)
	$(RUN)/python -m csto_course.website.russian_site build $(STUDENT_RU_SITE) $(STUDENT_HTML)/ru
	$(RUN)/python tools/student_routes.py --html $(STUDENT_HTML)/ru --root $(RU_SITE) --student $(RU_STUDENT)
	@touch $@

student-book: $(STUDENT_STAMP) $(STUDENT_RU_STAMP) ## Build the student website (no solutions), English and Russian, into _build/student-site/_build/html
	@echo "Open $(STUDENT_HTML)/index.html in a browser (the Russian: $(STUDENT_HTML)/ru/index.html)."

# The lessons as the student branch has them, with the branch's README (tools/student_readme.py):
# a preview of what students get, without the package and binder/ (make student-branch adds them).
# The Russian student edition, as the student-ru branch has it, goes to _build/student-ru.
student: $(ENV_STAMP) ## Write the student edition (no solutions) and its README to _build/student; the Russian one to _build/student-ru
	$(RUN)/python tools/student_branch.py --edition _build/student --uv $(UV)
	$(RUN)/python tools/student_branch.py --edition _build/student-ru --lang ru --uv $(UV)

# Everything the `student` branch holds, which Binder, a hub's image, nbgitpuller and a student's
# clone all use: the student edition, its README and pins, the course package, binder/ and what
# binder/postBuild reads (tools/student_branch.py). The Publish workflow commits this folder.
# `student-branch-ru` writes the `student-ru` branch, which the Russian website's buttons open:
# the Russian lessons and README, and JupyterLab's settings choosing its Russian interface.
student-branch: $(ENV_STAMP) ## Write the student branch's files (edition, README, package, binder/) to DIR (_build/student-branch)
	$(RUN)/python tools/student_branch.py $(or $(DIR),_build/student-branch) --uv $(UV)

student-branch-ru: $(ENV_STAMP) ## Write the student-ru branch's files (the Russian lessons, JupyterLab in Russian) to DIR (_build/student-branch-ru)
	$(RUN)/python tools/student_branch.py $(or $(DIR),_build/student-branch-ru) --lang ru --uv $(UV)

# What a student downloads: the student edition, the course package as a wheel that carries the
# data (uv build), and a README on installing it; the lessons' set-up cell installs that wheel.
# The Russian handout: the Russian student edition, a README in Russian, JupyterLab in Russian.
handout: $(ENV_STAMP) ## Zip the student edition, the course wheel and a README into _build/csto-course-student.zip (Russian: …-ru.zip)
	$(RUN)/python tools/handout.py _build/csto-course-student.zip --uv $(UV)
	$(RUN)/python tools/handout.py _build/csto-course-student-ru.zip --lang ru --uv $(UV)

# The Russian edition (CONTRIBUTING.md, "Translations"): extract every English paragraph into
# its catalog under locale/ru/LC_MESSAGES, keep translations whose English changed as fuzzy, and
# list what is missing from the files declared published (locale/ru/published.txt), by file and
# string; the student README's catalog too (tools/student_readme.py). `make ru-lessons` writes
# and runs the Russian lessons.
translations: $(ENV_STAMP) ## Update the Russian catalogs (locale/ru) from the English; list what published files lack
	$(RUN)/python -m csto_course.authoring.translations update
	$(RUN)/python tools/student_readme.py update
	-$(RUN)/python -m csto_course.authoring.translations status


# Every check runs even if one before it fails, so one run lists everything to fix; the
# settings are in pyproject.toml ([tool.ruff], [tool.mypy], [tool.codespell]).
# The same checks are the optional pre-commit hooks (.pre-commit-config.yaml).
LINT_CHECKS = \
	"ruff check --output-format concise ." \
	"ruff format --check --output-format concise ." \
	"mypy" \
	"python tools/lint_prose.py" \
	"python tools/normalize_notebooks.py --check $(LESSONS)"

lint: $(ENV_STAMP) ## Check code style, types, spelling and how the lessons are saved (seconds)
	@status=0; \
	for check in $(LINT_CHECKS); do \
	  echo "lint: $$check"; $(RUN)/$$check || status=1; \
	done; \
	if [ $$status -ne 0 ]; then echo "make lint: some checks failed (see above)"; fi; \
	exit $$status

# The class hub's proxy, configurable-http-proxy, at the version hub/package.json pins (exact,
# with hub/package-lock.json); npm ci installs it into hub/node_modules from the npm registry.
HUB_PROXY := hub/node_modules/.bin/configurable-http-proxy
$(HUB_PROXY): hub/package.json hub/package-lock.json
	cd hub && npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

# `make test` installs the proxy where npm is; without npm the hub's smoke test (tests/test_hub.py)
# is skipped and says so, and CI (.ci/run installs npm) fails if it was skipped.
hub-proxy:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(HUB_PROXY); \
	else echo "npm not found: tests/test_hub.py will be skipped (install Node.js and npm to run it)"; fi

# The class hub on this machine: hub/jupyterhub_config.py explains each setting, book/hub.md what
# it holds. LOCAL=1 serves the lessons' links from this clone's student edition, with no network.
hub: $(ENV_STAMP) $(HUB_PROXY) ## Start the class hub at http://127.0.0.1:8000 (LOCAL=1: lessons from this clone); Ctrl-C stops it
	$(RUN)/python -m csto_course.hub.launch $(if $(LOCAL),--local,)

# Not in `make test` or CI: it runs for many minutes and loads the whole machine. Run it on an
# idle machine; it writes bench/hub-load.json, which book/hub.md shows.
loadtest: $(ENV_STAMP) $(HUB_PROXY) ## (minutes) Simulated students on the hub, 10, 20, 40, ... until it breaks; writes bench/hub-load.json
	$(RUN)/python -m csto_course.hub.loadtest

# The tests run on every core (pytest-xdist); --dist loadfile keeps each notebook's cells, and
# each test file's shared set-up (nbgrader's course, the handout's environment), on one worker.
PYTEST_FLAGS := -n auto --dist loadfile

test: lint book student student-book ru-lessons hub-proxy ## Run every test: lint, package, data, notebooks (nbval), student edition, website, hub
	$(RUN)/python -m pytest $(PYTEST_FLAGS)

# The authors' quick loop (about a minute): the lint, the tests that need no browser, no built
# book and no environment or package of their own (pytest -m "not slow", see pyproject.toml),
# and nbval on the lessons changed since this branch left main (committed or not, and new ones). `make test`
# still runs everything before a merge.
CHANGED_LESSONS = $(sort $(filter notebooks/%.ipynb,$(shell git diff --name-only $$(git merge-base main HEAD) -- notebooks 2>/dev/null) \
	$(shell git ls-files --others --exclude-standard notebooks 2>/dev/null)))

check: lint ## (authors) Lint, the quick tests and the lessons changed since main (about a minute)
	$(RUN)/python -m pytest $(PYTEST_FLAGS) -m "not browser and not book and not slow" tests $(CHANGED_LESSONS)

# Save outputs only: no run timings and no ipywidgets state (the website renders widgets from
# its own run), then give widget outputs stable ids, so a one-line edit gives a one-line diff.
EXECUTE_FLAGS := --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.store_widget_state=False
LESSONS := notebooks/*.ipynb

execute: $(ENV_STAMP) ## (authors) Re-run every lesson and save its outputs, which nbval then compares against
	$(RUN)/jupyter nbconvert --to notebook --execute --inplace $(EXECUTE_FLAGS) $(LESSONS)
	$(RUN)/python tools/normalize_notebooks.py $(LESSONS)

# JupyterLab refuses to run as root unless told to (containers, some lab machines).
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root,)

# The course's JupyterLab settings (lab/settings: no news pop-up) go where JupyterLab reads
# overrides, in the environment; a user's own settings still win.
lab: $(ENV_STAMP) ## Open the lessons in JupyterLab
	install -D -m 644 lab/settings/overrides.d/csto-course.json $(VENV)/share/jupyter/lab/settings/overrides.d/csto-course.json
	$(RUN)/jupyter lab $(LAB_FLAGS) notebooks/

# Lighthouse and the Nu HTML Checker, pinned in bench/package.json and bench/package-lock.json,
# installed with npm into bench/node_modules (no install scripts run: Lighthouse drives Debian's
# Chromium, and vnu-jar runs on Debian's Java, `apt-get install default-jre-headless`), once and
# again whenever the lock changes. Nothing is downloaded while they run.
BENCH_TOOLS := bench/node_modules/.installed
$(BENCH_TOOLS): bench/package.json bench/package-lock.json
	npm ci --prefix bench --ignore-scripts --no-audit --no-fund
	@touch $@

# Run it on an idle machine: the figures are compared with each other and with the targets.
bench: $(ENV_STAMP) $(BENCH_TOOLS) ## Measure build, lesson, test and page times, Lighthouse and HTML checks; writes bench/results.json (about half an hour)
	$(RUN)/python bench/run.py

vendor: ## (maintainers, needs npm) Refresh the vendored browser scripts at their pinned versions
	bash tools/vendor/vendor.sh

clean: ## Remove everything the build made (not the environment)
	rm -rf _build .pytest_cache

# Each page is printed by Debian's Chromium (as the browser tests use it), with the print
# stylesheet book/_static/print.css, and joined by pypdf; see tools/pdf.py. The book is printed
# from _build/html, the student edition from the student website, the Russian student edition
# from the Russian student website (_build/student-site/_build/html/ru).
pdf: book student-book ## Print to _build/pdf/: the book (a-fading-alliance.pdf), the student website (…-student.pdf) and the Russian one (…-student-ru.pdf)
	$(RUN)/python tools/pdf.py

# Pictures for a person to read before merging (the browser tests check what can be checked).
shots: book ## Screenshot every page of the book, English and Russian, at 390 and 1280 px into _build/screenshots
	$(RUN)/python tools/screenshots.py
