"""Hostile command-line values for `fetch apple-charts`: a storefront that is not two ASCII letters
is refused before any request (it becomes part of the URL's path); an --out anywhere is written to."""


import pytest

from analysis import datapackage
from analysis.sources.apple import synthetic_payload
from conftest import run_cli


def _fetch(server, package, out, *countries):
    args = ["fetch", "apple-charts", "--base-url", server.url, "--out", str(out), "--package", str(package),
            "--limit", "5", "--timeout", "1", "--backoff", "0", "--retries", "0"]
    for country in countries:
        args += ["--country", country]
    return run_cli(*args)


BAD_STOREFRONTS = ["usa", "u", "", "../fr", "fr/../us", "f%72", "f.", "fr ", " fr", "fr\n", "ｆｒ", "éa", "1a", "u_"]


@pytest.mark.parametrize("country", BAD_STOREFRONTS)
def test_bad_storefront_is_refused_before_any_request(server, package, tmp_path, country):
    server.script["us"] = [(200, synthetic_payload("us", 3))]
    result = _fetch(server, package, tmp_path / "out", "us", country)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"error: --country {country!r} is not a storefront: give its ISO 3166 alpha-2 code, "
                             "two letters such as us or fr\n")
    assert server.hits == {} and not (tmp_path / "out").exists()  # not even the valid one


def test_storefront_in_capitals_is_lowercased(server, package):
    server.script["fr"] = [(200, synthetic_payload("fr", 2))]
    out = package.parent / "raw" / "apple_charts"
    result = _fetch(server, package, out, "FR")
    assert result.returncode == 0, result.stderr
    assert server.hits == {"fr": 1} and all("-fr-top-free." in p.name for p in out.iterdir())


def test_out_outside_the_data_folder_is_written_not_registered(server, package, tmp_path):
    server.script["us"] = [(200, synthetic_payload("us", 3))]
    out = tmp_path / "elsewhere" / "charts"
    result = _fetch(server, package, out, "us")
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 2 and written[0].endswith("-us-top-free.csv") and written[1].endswith("-us-top-free.json")
    assert result.stderr == (f"not registered in {package} ({out} is outside {package.parent}): to use them, move "
                             f"{written[1]}, {written[0]} into {package.parent / 'raw' / 'apple_charts'} and register "
                             "each with analysis.datapackage.register (README: How to add a source)\n")
    assert datapackage.resources(package) == []
