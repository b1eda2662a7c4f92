# The two commands a reader needs: `make figures` and `make test`.
# Both create .venv and install the pinned dependencies on first use: `make figures` what building
# the figures needs (requirements.txt), `make test` the tests' tools too (requirements-dev.txt).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FIGURES_STAMP := $(VENV)/.installed-figures
DEV_STAMP := $(VENV)/.installed-dev
PIP_INSTALL := $(PY) -m pip install --progress-bar on -c constraints.txt

.PHONY: figures test verify data-check lab reference-images readme clean-venv

# pip prints each package as it goes: the first set-up downloads a few hundred MB.
$(FIGURES_STAMP): requirements.txt constraints.txt pyproject.toml
	@echo "Setting up $(VENV) for the figures (first time only; pip shows its progress)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --progress-bar on --upgrade pip
	$(PIP_INSTALL) -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(DEV_STAMP): $(FIGURES_STAMP) requirements-dev.txt
	@echo "Adding the tests' tools, JupyterLab and Spark to $(VENV) (first time only)"
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@

# One command, one line of output (--verbose: a line per chart and notebook): the claims checked
# (nothing is built if one changed status), then whatever is not current rebuilt: the notebooks'
# pages first (the gallery, written last, links the pages it finds), then the charts.
FIGURES_OUT ?= figures
figures: $(FIGURES_STAMP)
	@$(PY) -m analysis figures --lang all --notebooks --out $(FIGURES_OUT)

test: $(DEV_STAMP)
	$(VENV)/bin/ruff check analysis tests benchmarks notebooks
	$(PY) -m pytest

verify: $(FIGURES_STAMP)
	$(PY) -m analysis verify

data-check: $(FIGURES_STAMP)
	$(PY) -m analysis data check

# Deliberately accept the current charts as the regression tests' references.
reference-images: $(FIGURES_STAMP)
	$(PY) -m analysis figures --lang all --update-references

# The README's generated sections: the table of commands (from the argument parser) and what is
# verified and what is not (from the ledger's check).
readme: $(FIGURES_STAMP)
	$(PY) -c "from analysis import cli, paths; p = paths.ROOT / 'README.md'; p.write_text(cli.readme_with_commands(p.read_text()))"
	$(PY) -c "from analysis import factcheck; factcheck.update_readme()"

lab: $(DEV_STAMP)
	$(VENV)/bin/jupyter lab notebooks/

clean-venv:
	rm -rf $(VENV)
