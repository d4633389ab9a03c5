# Two commands do all the setup: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# The model fits are small dense problems: a multi-threaded BLAS only adds contention
# on a 2-core machine (measured 10-30x slower per optimiser step under load).
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

## Start the app on http://localhost:$(PORT) with a sample dataset preloaded.
run: $(VENV)/.runtime
	$(BIN)/python -m streamlit run app.py --server.port $(PORT)

## Run the whole test suite (unit, AppTest, CLI, browser).
test: $(VENV)/.dev
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest -n 2

lint: $(VENV)/.dev
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

bench: $(VENV)/.dev
	$(BIN)/python bench/kpis.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
