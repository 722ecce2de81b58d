# Two commands do everything: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

export DEBUG ?= 1

.PHONY: run test install lint lock bench messages makemessages chromium clean

# Installs exactly the versions in requirements.lock (what the tests ran with), then the
# project itself without letting pip resolve anything again.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var --ignore=tests -v0

# Refresh the catalogues from the code; then translate what is new in locale/ko.
makemessages: install
	$(PY) manage.py makemessages -l en -l ko --no-location --no-obsolete --ignore=var --ignore=tests --ignore=bench

# Quiet set-up, then the demo's logins last, just above the three processes' output.
# Ctrl-C reaches the whole foreground group: honcho stops web, worker and beat and exits 130,
# the normal way out; the shell ignores the signal so it lives to say so. honcho kills what
# has not stopped 5 s after Ctrl-C, and the worker on the embedded broker ends its 2-second
# polls first (up to two of them), so honcho waits 15 s here.
HONCHO := $(PY) -c 'import sys, honcho.manager; honcho.manager.KILL_WAIT = 15; \
	from honcho.command import main; sys.argv[0] = "honcho"; main()'
run: install messages
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py collectstatic --noinput -v0
	@echo "Admin: http://localhost:$${WEB_PORT:-8000}/admin/   Slack preview mode: messages wait in Admin > Organisation > Slack outbox."
	@$(PY) manage.py demo
	@echo "Ctrl-C stops."
	@trap '' INT; $(HONCHO) -f Procfile.dev start || [ $$? -eq 130 ]

# Debian's Chromium for the Playwright browser tests; Playwright's own download cannot work here.
# Debian's Noto CJK fonts too, so browser screenshots show Korean glyphs, not empty boxes.
chromium:
	@{ command -v chromium >/dev/null 2>&1 && [ -d /usr/share/fonts/opentype/noto ]; } || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			$$SUDO apt-get install -y -qq chromium fonts-noto-cjk; }

# Pin every dependency again after changing pyproject.toml; commit requirements.lock with it.
lock: install
	$(PY) -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--quiet --custom-compile-command "make lock" -o requirements.lock

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: install messages chromium lint
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# Benchmarks (never part of make test); figures go into bench/README.md.
bench: install messages
	$(PY) bench/pages.py
	$(PY) bench/voices.py
	BENCH_REUSE=1 $(PY) bench/slack_acks.py
	$(PY) bench/daily_voice.py
	$(PY) bench/principles.py
	$(PY) bench/onboarding.py

clean:
	rm -rf $(VENV) var
