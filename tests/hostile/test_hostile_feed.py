"""Hostile App Store feeds (all synthetic, served on 127.0.0.1): wrong types, numbers that overflow,
nesting 100,000 deep. Each is refused before anything is written for its storefront, with one line
saying why, and the other storefronts of the run are still fetched."""

import json

import pytest

from analysis import datapackage
from analysis.sources.apple import synthetic_payload
from conftest import run_cli


def _feed(change) -> bytes:
    """A valid synthetic gb feed of three apps, changed by ``change(feed)``."""
    document = json.loads(synthetic_payload("gb", 3))
    change(document["feed"])
    return json.dumps(document).encode()


def _set(where, value):
    def change(feed):
        target = feed
        *path, last = where
        for key in path:
            target = target[key]
        target[last] = value
    return change


CASES = [
    ("name an object", _feed(_set(["results", 1, "name"], {"x": 1})),
     "result 2, field name: value {'x': 1} is not of type str"),
    ("id a list", _feed(_set(["results", 0, "id"], ["1001"])), "result 1, field id: value ['1001'] is not of type str"),
    ("id a number", _feed(_set(["results", 2, "id"], 1003)), "result 3, field id: value 1003 is not of type str"),
    ("id not digits", _feed(_set(["results", 0, "id"], "10/../1")),
     "result 1, field id: value '10/../1' fails str_matches('^[0-9]{1,20}$')"),
    ("artist a list", _feed(_set(["results", 0, "artistName"], ["A", "B"])),
     "result 1, field artistName: value ['A', 'B'] is not of type str"),
    ("artist a boolean", _feed(_set(["results", 0, "artistName"], True)),
     "result 1, field artistName: value True is not of type str"),
    ("name of 5,000 characters", _feed(_set(["results", 0, "name"], "n" * 5000)),
     "result 1, field name: value '" + "n" * 5000 + "' fails str_length(1, 1000)"),
    ("result a list", _feed(_set(["results", 1], ["Example app 2"])), "result 2 is an array, not an object"),
    ("results an object", _feed(_set(["results"], {"1": {}})), "feed's results is an object, not an array"),
    ("country an object", _feed(_set(["country"], {"code": "gb"})),
     "feed's country is an object ({'code': 'gb'}), not a string"),
    ("updated a number", _feed(_set(["updated"], 1764273600)), "feed's updated is a number (1764273600), not a string"),
    ("count of 1e999", _feed(_set(["results", 0, "id"], 1.5)).replace(b"1.5", b"1e999"),
     "invalid JSON: number 1e999 overflows: not a finite number"),
    ("NaN", _feed(_set(["results", 0, "id"], 1.5)).replace(b"1.5", b"NaN"), "invalid JSON: NaN is not a JSON number"),
    ("integer of 5,000 digits", _feed(_set(["results", 0, "id"], 1.5)).replace(b"1.5", b"9" * 5000),
     "invalid JSON: an integer of more than 4,300 digits: not a count"),
    ("nested 100,000 deep", b'{"feed": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
     "invalid JSON: nested 100,001 levels deep, more than the 64 allowed"),
    ("nested 65 deep", b'{"feed": {"results": ' + b"[" * 63 + b"]" * 63 + b"}}",
     "invalid JSON: nested 65 levels deep, more than the 64 allowed"),
    ("truncated", synthetic_payload("gb", 3)[:-40], "invalid JSON: Unterminated string starting at (line 1, column 1120)"),
    ("not UTF-8", synthetic_payload("gb", 3).replace(b"Example app 1", b"Example app \xff"),
     "invalid JSON: not UTF-8 (byte 0xff at "),
    ("top level an array", b"[1, 2]", "no 'feed' object in the answer"),
    ("storefront of three letters", synthetic_payload("gbr", 3), "answered with storefront 'gbr', not 'gb'"),
]


def _fetch(server, package, *countries):
    args = ["fetch", "apple-charts", "--base-url", server.url, "--out", str(package.parent / "raw" / "apple_charts"),
            "--package", str(package), "--limit", "5", "--timeout", "5", "--backoff", "0", "--retries", "0"]
    for country in countries:
        args += ["--country", country]
    return run_cli(*args)


@pytest.mark.parametrize("body, reason", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_hostile_feed_is_refused_and_the_others_go_on(server, package, body, reason):
    server.script["gb"] = [(200, body)]
    server.script["us"] = [(200, synthetic_payload("us", 2))]
    server.script["fr"] = [(200, synthetic_payload("fr", 2))]
    result = _fetch(server, package, "us", "gb", "fr")
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: storefront gb: {reason}") and result.stderr.count("\n") == 1
    written = sorted(p.name for p in (package.parent / "raw" / "apple_charts").iterdir())
    assert [name.split("Z-", 1)[1] for name in written] == [
        "fr-top-free.csv", "fr-top-free.json", "us-top-free.csv", "us-top-free.json"]  # before and after the bad one
    assert len(datapackage.resources(package)) == 4 and datapackage.problems(package) == []


def test_valid_feed_with_extra_fields_is_kept_exactly(server, package):
    body = _feed(_set(["results", 0, "contentAdvisoryRating"], "12+"))
    server.script["gb"] = [(200, body)]
    assert _fetch(server, package, "gb").returncode == 0
    (raw,) = (package.parent / "raw" / "apple_charts").glob("*.json")
    assert raw.read_bytes() == body
