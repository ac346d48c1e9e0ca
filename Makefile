# Two commands: `make run` (the demo, end to end) and `make test`. Nothing to install first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-unit lint bench-extract bench-extract-check bench-conflicts bench-sitemap bench-pipeline clean bench-crawl flower

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[postgres,dev]'
	@touch $(STAMP)

run: $(STAMP)
	@$(VENV)/bin/ingest demo

test: $(STAMP)
	@$(PY) -m pytest -q

test-unit: $(STAMP)
	@$(PY) -m pytest -q tests/unit

lint: $(STAMP)
	@$(VENV)/bin/ruff check worker tests bench
	@$(VENV)/bin/mypy worker

$(VENV)/.bench: $(STAMP)
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	@touch $@

bench-extract: $(VENV)/.bench
	@$(PY) bench/extraction.py --datasets $(or $(DATASETS),../shared/datasets)

# The quality floor CI runs when ../shared/datasets exists (no trafilatura needed).
bench-extract-check: $(STAMP)
	@$(PY) bench/extraction.py --datasets $(or $(DATASETS),../shared/datasets) --no-trafilatura --check bench/quality_baseline.json

# Where the dev set's truths disagree with one another or with the issue's rules.
bench-conflicts: $(STAMP)
	@$(PY) bench/truth_conflicts.py --datasets $(or $(DATASETS),../shared/datasets)

bench-sitemap: $(STAMP)
	@$(PY) bench/sitemap.py

bench-pipeline: $(STAMP)
	@$(PY) bench/pipeline.py

clean:
	rm -rf $(VENV) data .pytest_cache

bench-crawl: $(STAMP)
	@$(PY) bench/crawl.py

# Flower on 127.0.0.1:5555 for a running worker (set FLOWER_BASIC_AUTH=user:pass to protect it).
flower: $(STAMP)
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[flower]'
	@$(PY) -m celery -A worker.celery_app flower --address=127.0.0.1 --port=5555 $(if $(FLOWER_BASIC_AUTH),--basic-auth=$(FLOWER_BASIC_AUTH))
