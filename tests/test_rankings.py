import json

import pandas as pd
import pytest

from analysis import datapackage, rankings
from analysis.errors import DataError
from analysis.httpclient import make_session
from analysis.sources import apple


def _feed(country, names, updated="Fri, 27 Nov 2026 20:00:00 +0000"):
    payload = json.loads(apple.synthetic_payload(country, len(names), updated))
    for result, name in zip(payload["feed"]["results"], names):
        result["name"] = name
        result["id"] = str(abs(hash(name)) % 10**9)
    return json.dumps(payload).encode()


@pytest.fixture
def history(server, tmp_path):
    package = tmp_path / "data" / "datapackage.json"
    package.parent.mkdir()
    package.write_text(json.dumps({"name": "t", "resources": []}))
    days = {"2026-01-10": ["ChatGPT", "Freecash", "Google Gemini", "Grok", "Threads"],
            "2026-01-11": ["ChatGPT", "Grok", "Google Gemini", "Threads", "Temu"],
            "2026-01-12": ["ChatGPT", "Temu", "Threads", "Google Gemini", "CapCut"]}
    for day, names in days.items():
        server.script["us"] = [(200, _feed("us", names))]
        apple.fetch_snapshot(make_session(retries=0), country="us", chart="top-free", limit=5,
                             base_url=server.url, out_dir=package.parent / "raw" / "apple_charts",
                             retrieved_at=pd.Timestamp(f"{day} 08:00", tz="UTC"), timeout=(2, 2),
                             package=package)
    with datapackage.using(package):
        return rankings.rank_history()


def test_history_has_every_snapshot(history):
    assert list(history.columns) == ["date", "retrieved_at", "country", "chart", "app_id", "name", "rank"]
    assert len(history) == 15 and history["date"].nunique() == 3


def test_rank_of(history):
    assert rankings.rank_of("Grok", "2026-01-10", "us", history=history) == 4
    assert rankings.rank_of("grok", "2026-01-11", "US", history=history) == 2
    assert rankings.rank_of("Grok", "2026-01-12", "us", history=history) is None  # not charted
    assert rankings.rank_of("Gemini", "2026-01-12", "us", history=history) == 4
    with pytest.raises(DataError, match="no top-free snapshot for storefront fr on 2026-01-10"):
        rankings.rank_of("Grok", "2026-01-10", "fr", history=history)


def test_compare_grok_chatgpt_gemini(history):
    table = rankings.compare(history=history)
    assert table.loc["2026-01-10"].tolist() == [4, 1, 3]
    assert table.loc["2026-01-11"].tolist() == [2, 1, 3]
    assert pd.isna(table.loc["2026-01-12", "Grok"])  # missing stays missing


def test_ambiguous_name_is_refused(history):
    with pytest.raises(DataError, match="matches several apps"):
        rankings.rank_of("T", "2026-01-11", "us", history=history.assign(name=history["name"].str.replace("Temu", "T one").str.replace("Threads", "T two")))


def test_reported_top5_is_marked_reported_only():
    top = rankings.reported_top_chart()
    assert top["name"].tolist() == ["ChatGPT", "Freecash", "Google Gemini", "Grok", "Threads"]
    assert set(top["evidence"]) == {"reported"} and top["country"].isna().all()
