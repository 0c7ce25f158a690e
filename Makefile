# Wegweiser. Two commands: `make setup` (both environments, idempotent) and `make test`.
SHELL := /bin/bash
APP_PY := .venv/bin/python
RASA := .venv-rasa/bin/rasa

.PHONY: setup chromium console test test-fast test-stories run triage model eval bench kb-check validate compare-pipelines share-links clean

setup: .venv/.installed .venv-rasa/.installed chromium

# Debian's Chromium for the console's browser tests (Playwright drives /usr/bin/chromium); only if missing.
chromium:
	@test -x /usr/bin/chromium || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

# The app env (Python 3.11): bot, actions, core, tests.
.venv/.installed: requirements/app.lock.txt
	@test -x .venv/bin/python || python3 -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check -r requirements/app.lock.txt
	@touch $@

# The Rasa service env (Python 3.10): rasa 3.6 with its own pins (see ARCHITECTURE.md).
.venv-rasa/.installed: requirements/rasa.lock.txt
	@test -x .venv-rasa/bin/python || "$$(scripts/find_python310.sh)" -m venv .venv-rasa
	.venv-rasa/bin/pip install --quiet --disable-pip-version-check "pip==26.3" "setuptools==70.3.0" "wheel==0.45.1"
	.venv-rasa/bin/pip install --quiet --disable-pip-version-check -r requirements/rasa.lock.txt
	@touch $@

# Train the Rasa model when config, domain or training data changed (fingerprinted in models/).
model: setup
	$(APP_PY) -m bot.stack train

test: setup kb-check validate test-stories
	$(APP_PY) -m pytest -q

# Dialogue tests of the guided flows (tests/rasa, never trained on) against the trained model.
test-stories: setup
	@model="$$($(APP_PY) -m bot.stack train)" && TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1 \
		$(RASA) test core --model "$$model" --stories tests/rasa --fail-on-prediction-errors --out results/test-stories

test-fast: setup
	$(APP_PY) -m pytest -q -m "not stack"

kb-check: .venv/.installed
	$(APP_PY) -m bot.knowledge.check

validate: .venv-rasa/.installed
	TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1 $(RASA) data validate --domain domain.yml --data nlu_data/nlu nlu_data/core

run: setup
	$(APP_PY) -m bot.run

# The counsellor web console (CONSOLE_HOST/CONSOLE_PORT, default 127.0.0.1:8080); users: python -m bot.console.users add ...
console: .venv/.installed
	$(APP_PY) -m bot.console

# JSON Lines in, JSON Lines out; only results on stdout.
triage:
	@$(MAKE) --no-print-directory -s setup >&2
	@$(APP_PY) -m bot.triage

eval: setup
	$(APP_PY) -m bench.evaluate

bench: setup
	$(APP_PY) -m bench.parse_latency

compare-pipelines: setup
	$(APP_PY) -m bench.compare_pipelines

share-links: setup
	$(APP_PY) -m bot.telegram.share_links

clean:
	rm -rf models build var results
