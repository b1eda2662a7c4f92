"""The pip pins (what the figures need, and what the tests add) and the conda environment name the
same versions, and the lock agrees with them."""

import re

import yaml

from analysis import paths

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s#]+)")


def _pins(lines) -> dict[str, str]:
    return {m[1].lower(): m[2] for line in lines if (m := PIN.match(line.strip()))}


def _requirements() -> dict[str, str]:
    figures = _pins((paths.ROOT / "requirements.txt").read_text().splitlines())
    dev_lines = (paths.ROOT / "requirements-dev.txt").read_text().splitlines()
    assert "-r requirements.txt" in dev_lines  # the tests' set includes the figures'
    dev = _pins(dev_lines)
    assert not set(figures) & set(dev), "a package pinned in both files"
    return figures | dev


def test_environment_yml_pins_match_requirements():
    requirements = _requirements()
    environment = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert _pins(pip_section) == requirements
    python = next(d for d in environment["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert python == "python=3.11"


def test_lock_agrees_with_direct_pins():
    requirements = _requirements()
    lock = _pins((paths.ROOT / "constraints.txt").read_text().splitlines())
    assert {name: lock.get(name) for name in requirements} == requirements
