"""Charts: house style, byte-reproducible builds, incremental rebuilds, regression images."""

import dataclasses
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.testing.compare import compare_images
from PIL import Image

from analysis import claims, paths
from analysis.charts import build, catalog, style
from analysis.files import sha256

LANGS = ("fr", "en")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    log = []
    manifest = build.build(LANGS, out, log=log.append)
    return out, manifest, log


def test_font_is_the_one_shipped_with_matplotlib():
    style.use()
    assert font_manager.findfont(style.FONT) == str(style.FONT_FILE)


def test_every_chart_in_both_languages_and_formats(built):
    out, manifest, _ = built
    available = [chart_id for chart_id, chart in catalog.CHARTS.items() if chart.available()]
    assert {(e["id"], e["lang"]) for e in manifest} == {(c, l) for c in available for l in LANGS}
    for entry in manifest:
        assert set(entry) >= {"id", "lang", "title", "alt", "source", "resources", "claims", "files"}
        assert sorted(name.rsplit(".", 1)[1] for name in entry["files"]) == ["pdf", "png", "svg"]
        for name, digest in entry["files"].items():
            assert sha256(out / name) == digest
        assert entry["alt"].strip() and entry["source"].startswith("Source")
    on_disk = json.loads((out / "figures.json").read_text())
    assert on_disk == manifest


def test_png_is_web_size_at_2x(built):
    out, manifest, _ = built
    png = next(name for name in manifest[0]["files"] if name.endswith(".png"))
    with Image.open(out / png) as image:
        assert image.size == (style.WEB.width_px * 2, style.WEB.height_px * 2) == (2400, 1350)


def test_resources_and_claims_named_exist(built):
    _, manifest, _ = built
    from analysis import datapackage
    names = {r["name"] for r in datapackage.resources()}
    ids = {c.id for c in claims.load()}
    for entry in manifest:
        assert set(entry["resources"]) <= names and set(entry["claims"]) <= ids


def test_french_texts_use_french_typography(built):
    _, manifest, _ = built
    french = " ".join(e["title"] + e["alt"] + e["source"] for e in manifest if e["lang"] == "fr")
    assert "\u2212" in french and "\u00a0%" in french and "\u202f" in french
    assert "Source\u00a0:" in french
    assert " %" not in french and "-8" not in french


def test_no_dates_or_versions_in_files(built):
    out, manifest, _ = built
    for entry in manifest:
        for name in entry["files"]:
            content = (out / name).read_bytes()
            assert b"Matplotlib" not in content and b"matplotlib.org" not in content, name
            assert b"CreationDate" not in content and b"<dc:date>" not in content, name


def test_two_builds_give_identical_bytes(built, tmp_path):
    out, manifest, _ = built
    again = build.build(LANGS, tmp_path / "again", log=lambda _: None)
    for first, second in zip(manifest, again):
        assert first["files"] == second["files"]


def test_noop_rebuild_renders_nothing(built):
    out, _, first_log = built
    assert all(line.startswith(("rendered", "no data yet")) for line in first_log)
    log = []
    build.build(LANGS, out, log=log.append)
    assert any(line.startswith("up to date") for line in log)
    assert not any(line.startswith("rendered") for line in log)


def test_damaged_output_is_rebuilt(built):
    out, manifest, _ = built
    victim = out / next(iter(manifest[0]["files"]))
    victim.write_bytes(b"damaged")
    log = []
    build.build(LANGS, out, log=log.append)
    assert f"rendered    {manifest[0]['id']}/{manifest[0]['lang']}" in log
    assert sum(line.startswith("rendered") for line in log) == 1


def test_fingerprint_follows_the_claims_a_chart_quotes():
    ledger = {c.id: c for c in claims.load()}
    changed = dict(ledger)
    changed["x-france-reports-drop"] = dataclasses.replace(ledger["x-france-reports-drop"], published=-80.0)
    france, reports = catalog.CHARTS["france-reports-drop"], catalog.CHARTS["x-reports-to-ncmec"]
    assert build.fingerprint(france, "fr", ledger) != build.fingerprint(france, "fr", changed)
    assert build.fingerprint(reports, "fr", ledger) == build.fingerprint(reports, "fr", changed)


def test_build_refuses_when_a_claim_changed(tmp_path, monkeypatch):
    real = claims.check_all()
    flipped = [dataclasses.replace(r, status="contradicted") if r.claim.id == "x-ncmec-reports-2024" else r
               for r in real]
    monkeypatch.setattr(claims, "check_all", lambda *a, **k: flipped)
    with pytest.raises(build.ClaimsChanged, match="x-ncmec-reports-2024 \\(expected verified, found contradicted\\)"):
        build.build(LANGS, tmp_path)
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("chart_id", sorted(catalog.CHARTS))
@pytest.mark.parametrize("lang", LANGS)
def test_png_matches_reference_image(built, chart_id, lang, tmp_path):
    """Regression: update deliberately with `make reference-images` and look at the result."""
    out, _, _ = built
    if not catalog.CHARTS[chart_id].available():
        pytest.skip(f"{chart_id}: no data collected yet, so no chart and no reference")
    reference = paths.REFERENCE_IMAGES / lang / f"{chart_id}.png"
    assert reference.exists(), f"no reference image; run `make reference-images`"
    expected = tmp_path / "expected.png"
    shutil.copy(reference, expected)
    assert compare_images(str(expected), str(out / lang / f"{chart_id}.png"), tol=2) is None


def test_cli_figures_one_language(tmp_path):
    result = subprocess.run([sys.executable, "-m", "analysis", "figures", "--lang", "en", "--out", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["en", "figures.json", "index.html"]


def test_build_refuses_synthetic_inputs(tmp_path, monkeypatch):
    from analysis import datapackage, synthetic
    monkeypatch.setattr(datapackage, "verified_path", lambda name, *a: synthetic.SENSORTOWER_EXPORT)
    with pytest.raises(build.SyntheticInput, match="reads synthetic data"):
        build.build(LANGS, tmp_path)
    assert not any(tmp_path.iterdir())


def test_rank_history_chart_waits_for_snapshots_then_draws(tmp_path, monkeypatch):
    from analysis import rankings
    from analysis.charts import render
    chart = catalog.CHARTS["grok-rank-history"]
    if rankings.rank_history().empty:
        assert not chart.available()
    days = pd.date_range("2026-01-10", periods=5, name="date")
    ranks = pd.DataFrame({"Grok": [8, 6, 4, None, 5], "ChatGPT": [1, 1, 1, 2, 1],
                          "Gemini": [3, 3, 3, 4, 4]}, index=days).astype("Int64")  # synthetic
    monkeypatch.setattr(rankings, "compare", lambda **kwargs: ranks)
    assert chart.available()
    texts, files = render.render(chart, chart.load(), "fr", tmp_path)
    assert "meilleur rang de Grok\u00a0: 4" in texts.alt
    assert sorted(files) == ["fr/grok-rank-history.pdf", "fr/grok-rank-history.png", "fr/grok-rank-history.svg"]


def test_dsa_chart_never_draws_synthetic_days(tmp_path, monkeypatch):
    from analysis.charts import render
    from analysis.dsa import ingest, query, synth
    for day, fr in (("2025-06-03", 5), ("2025-10-07", 1)):
        ingest.ingest_dump(synth.synth_dump(day, 10_000, tmp_path / "dumps", fr_tenths=fr), tmp_path / "dsa",
                           progress=False)
    monkeypatch.setattr(paths, "DSA", tmp_path / "dsa")
    chart = catalog.CHARTS["x-minors-dsa"]
    assert not chart.available()  # only synthetic days: the build skips it
    with pytest.raises(Exception, match="synthetic days"):
        chart.load()
    # Drawing itself is tested by pretending the days were real, into a throwaway folder.
    real = query.ingested_days(tmp_path / "dsa").assign(synthetic=False)
    monkeypatch.setattr(query, "ingested_days", lambda data: real)
    assert chart.available()
    texts, files = render.render(chart, chart.load(), "en", tmp_path / "out")
    assert "2025-06 to 2025-10" in texts.subtitle and len(files) == 3
