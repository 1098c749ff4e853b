# Second Round: the two commands a newcomer needs are `make run` and `make test`.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format browser bench-load bench-dispatch demo clean

## run: install, migrate and start the web server with a worker and beat (Ctrl-C stops all)
run: $(VENV)/.installed
	$(BIN)/python manage.py run --host $(HOST) --port $(PORT)

## test: install, then run the whole suite on Postgres and Redis at 127.0.0.1
# Two processes, one per core, each taking whole files (a file's tests share its fixtures and its
# fixed Redis databases); config/settings_test.py gives each process its own cache and folders.
test: $(VENV)/.installed node_modules/.installed browser
	$(BIN)/python -m pytest -n 2 --dist loadfile

## lint: ruff, as CI runs it
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## demo: a demo account (demo@secondround.example / second-round-demo) on the embedded default
demo: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --demo

## bench-load, bench-dispatch: the benchmarks in bench/ (they print figures; see bench/README.md)
bench-load: $(VENV)/.installed
	$(BIN)/python bench/load.py

bench-dispatch: $(VENV)/.installed
	$(BIN)/python bench/dispatch.py

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The virtual environment is rebuilt only when the dependencies change.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock ".[dev]"
	touch $@

# axe-core, injected into pages by the browser tests to check accessibility.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests drive Debian's Chromium; Playwright cannot download its own here.
browser:
	@test -x /usr/bin/chromium || { \
		echo "Installing Chromium for the browser tests (apt-get)..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf $(VENV) var build *.egg-info
