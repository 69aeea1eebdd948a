# Two commands for a new machine: `make run` and `make test`. Each bootstraps .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench test-min clean

MIN := .venv-min

# Re-install only when the project's metadata changed; otherwise this is a no-op.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip >&2
	@$(BIN)/python -m pip install --quiet -e '.[dev]' >&2
	@touch $(STAMP)

run: $(STAMP)
	@exec $(BIN)/mcp-backend serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# The oldest versions of every dependency we declare (uv's lowest-direct resolution), installed
# in their own venv: proves the lower bounds in pyproject.toml are real.
test-min:
	@test -x $(MIN)/bin/python || $(PYTHON) -m venv $(MIN)
	@$(MIN)/bin/python -m pip install --quiet uv >&2
	$(MIN)/bin/uv pip compile pyproject.toml --extra dev --resolution lowest-direct \
		--python $(MIN)/bin/python --quiet --output-file $(MIN)/requirements-min.txt
	$(MIN)/bin/uv pip install --quiet --python $(MIN)/bin/python -r $(MIN)/requirements-min.txt
	$(MIN)/bin/uv pip install --quiet --python $(MIN)/bin/python --no-deps -e .
	$(MIN)/bin/python -m pytest -q -m "not slow and not npm"

clean:
	rm -rf $(VENV) $(MIN) .mypy_cache .pytest_cache .ruff_cache build dist
