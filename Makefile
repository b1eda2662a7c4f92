# The two commands a reader needs: `make figures` and `make test`.
# Both create .venv and install the pinned dependencies on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: figures test verify data-check lab reference-images readme clean-venv

$(STAMP): requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The notebooks are rendered first: the gallery, written last, links the pages it finds.
figures: $(STAMP)
	$(PY) -m analysis verify
	$(PY) -m analysis notebooks
	$(PY) -m analysis figures --lang all

test: $(STAMP)
	$(VENV)/bin/ruff check analysis tests benchmarks notebooks
	$(PY) -m pytest

verify: $(STAMP)
	$(PY) -m analysis verify

data-check: $(STAMP)
	$(PY) -m analysis data check

# Deliberately accept the current charts as the regression tests' references.
reference-images: $(STAMP)
	$(PY) -m analysis figures --lang all --update-references

# The README's table of commands, from the argument parser.
readme: $(STAMP)
	$(PY) -c "from analysis import cli, paths; p = paths.ROOT / 'README.md'; p.write_text(cli.readme_with_commands(p.read_text()))"

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

clean-venv:
	rm -rf $(VENV)
