"""Charts: house style, byte-reproducible builds, incremental rebuilds, regression images."""

import dataclasses
import json
import re
import shutil

import pandas as pd
import pytest
from matplotlib import font_manager
from PIL import Image

from analysis import claims, codebase, datapackage, evidence, paths, spreadsheet
from analysis.charts import build, charts, provenance, style
from analysis.charts.chart import READERS_HEADINGS
from analysis.errors import DataError
from analysis.files import sha256
from analysis.formatting import format_number, house_typography

CHARTS = charts()

LANGS = ("fr", "en")


@pytest.fixture
def built(site):
    return site


def test_font_is_the_one_shipped_with_matplotlib():
    with style.house_style():
        assert font_manager.findfont(style.FONT) == str(style.FONT_FILE)


def test_every_chart_in_both_languages_and_formats(built):
    out, manifest, _ = built
    available = [chart_id for chart_id, chart in CHARTS.items() if chart.available()]
    assert {(e["id"], e["lang"]) for e in manifest} == {(c, lang) for c in available for lang in LANGS}
    for entry in manifest:
        assert set(entry) >= {"id", "lang", "title", "alt", "source", "resources", "claims", "files"}
        assert sorted(entry["files"]) == [f"{entry['lang']}/{entry['id']}.{ending}"
                                          for ending in ("csv", "pdf", "phone.png", "phone.svg", "png", "svg")]
        for name, digest in entry["files"].items():
            assert sha256(out / name) == digest
        assert entry["alt"].strip() and entry["source"].startswith("Source")
    on_disk = json.loads((out / "figures.json").read_text())
    assert on_disk == manifest


def test_png_is_web_size_at_2x(built):
    out, manifest, _ = built
    png = next(name for name in manifest[0]["files"] if name.endswith(".png") and ".phone." not in name)
    with Image.open(out / png) as image:
        assert image.size == (style.WEB.width_px * 2, style.WEB.height_px * 2) == (2400, 1350)


def test_phone_png_is_portrait_360_css_px_wide_at_2x(built):
    """The phone layout is drawn for a 360 CSS px screen, at least as tall as its size (taller
    where its texts need it), never a shrunk web image."""
    out, manifest, _ = built
    for entry in manifest:
        png = next(name for name in entry["files"] if name.endswith(".phone.png"))
        with Image.open(out / png) as image:
            width, height = image.size
        assert width == style.PHONE.width_px * 2 == 720 and height >= style.PHONE.height_px * 2 > width, png


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
    assert "\u2212" in french and "\u202f%" in french and "\u00a0%" not in french
    assert "Source\u202f:" in french and "\u00a0:" not in french
    assert " %" not in french and "-8" not in french


def test_no_dates_or_versions_in_files(built):
    out, manifest, _ = built
    for entry in manifest:
        for name in entry["files"]:
            content = (out / name).read_bytes()
            assert b"Matplotlib" not in content and b"matplotlib.org" not in content, name
            assert b"CreationDate" not in content and b"<dc:date>" not in content, name


def test_noop_rebuild_renders_nothing(built, site_copy):
    _, _, first_log = built
    out, _ = site_copy
    assert all(line.startswith(("rendered", "no data yet")) for line in first_log)
    manifest_before = (out / "figures.json").read_bytes()
    log = []
    build.build(LANGS, out, log=log.append)
    assert (out / "figures.json").read_bytes() == manifest_before  # the committed site stays as it is
    assert any(line.startswith("up to date") for line in log)
    assert not any(line.startswith("rendered") for line in log)


def test_damaged_output_is_rebuilt(site_copy):
    out, manifest = site_copy
    victim = out / next(iter(manifest[0]["files"]))
    victim.write_bytes(b"damaged")
    log = []
    build.build(LANGS, out, log=log.append)
    assert f"rendered    {manifest[0]['id']}/{manifest[0]['lang']}" in log
    assert sum(line.startswith("rendered") for line in log) == 1


def _fingerprints(out, state):
    saved = json.loads((out / ".cache" / "state.json").read_text())
    return {key: build.fingerprint(CHARTS[key.split("/")[0]], key.split("/")[1],
                                   build.tracking.Reads.from_dict(entry["reads"]), state)
            for key, entry in saved.items()}


def _changed(out, state, package=paths.DATAPACKAGE):
    before = _fingerprints(out, build.State.now())
    with datapackage.using(package):
        after = _fingerprints(out, state)
    return {key.split("/")[0] for key in before if before[key] != after[key]}


def test_fingerprint_follows_the_claims_a_chart_quotes(built):
    out, _, _ = built
    now = build.State.now()
    changed = dataclasses.replace(now, ledger={**now.ledger, "x-france-reports-drop": "edited"})
    # the context charts quote it too: France's series, the timeline's prosecutor window, and the
    # Global Platform's France half-years (which cannot check it)
    assert _changed(out, changed) == {"france-reports-drop", "france-ncmec-reports", "x-reports-per-suspension",
                                      "x-france-referrals-2024"}


def test_changing_a_chart_module_rebuilds_that_chart_only(built):
    out, _, _ = built
    now = build.State.now()
    edited = dataclasses.replace(now, code={**now.code, "analysis.charts.provider_shares_2024": "edited"})
    assert _changed(out, edited) == {"provider-shares-2024"}


def test_france_quote_card_points_to_the_dsa_chart_by_its_title():
    from analysis.charts import france_reports_drop, x_minors_dsa
    for lang in LANGS:
        lines = " ".join(line for _, line in france_reports_drop._card(lang, "…"))
        assert x_minors_dsa.TITLE[lang] in lines and "x-minors-dsa" not in lines  # readers never see an id
        # NCMEC does cross X with France, on its Global Platform: rounded half-years of 2024
        assert "2024" in lines and "platform and country together" not in lines


def test_changing_the_renderer_rebuilds_every_chart(built):
    out, manifest, _ = built
    now = build.State.now()
    edited = dataclasses.replace(now, code={**now.code, "analysis.charts.render": "edited"})
    assert _changed(out, edited) == {e["id"] for e in manifest}


def test_a_raw_file_edited_in_place_stops_the_build(tmp_path, data_copy):
    package = data_copy / "datapackage.json"
    out = tmp_path / "figures"
    with datapackage.using(package):
        build.build(LANGS, out, log=lambda _: None, only={"grok-app-store-top5"})  # the chart that reads it
        top5 = data_copy / "raw" / "press" / "wapo-app-store-top-free-2026-01-as-reported.csv"
        top5.write_text(top5.read_text().replace("Grok", "Grook"))
        with pytest.raises(DataError, match="wapo-app-store-top-free-2026-01-as-reported.csv: checksum mismatch"):
            build.build(LANGS, out, log=lambda _: None, only={"x-safety-2024"})  # whichever chart is asked


def test_changing_shared_code_rebuilds_the_charts_that_import_it(built):
    out, _, _ = built
    now = build.State.now()
    edited = dataclasses.replace(now, code={**now.code, "analysis.series.x_reports": "edited"})
    users = {chart_id for chart_id, chart in CHARTS.items()
             if "analysis.series.x_reports" in codebase.dependencies(chart.load.__module__)}
    assert "x-reports-to-ncmec" in users and _changed(out, edited) == users & {e["id"] for e in built[1]}


@pytest.mark.parametrize("module, other_kind", [("analysis.dsa.schema", "ncmec-"), ("analysis.pdftables", "dsa-")])
def test_editing_a_module_rebuilds_exactly_the_charts_that_import_it(built, module, other_kind):
    """The DSA's vocabulary rebuilds no NCMEC chart, the PDF parser no DSA chart: a chart depends on
    the modules it imports, directly or not, and on nothing else (the ledger's computations are not
    among them: a chart quotes claims, it does not compute them)."""
    out, manifest, _ = built
    now = build.State.now()
    edited = dataclasses.replace(now, code={**now.code, module: "edited"})
    importers = {chart_id for chart_id, chart in CHARTS.items() if module in codebase.dependencies(chart.load.__module__)}
    assert importers and _changed(out, edited) == importers & {e["id"] for e in manifest}
    reading_the_other_kind = {e["id"] for e in manifest if any(name.startswith(other_kind) for name in e["resources"])}
    assert reading_the_other_kind and not importers & reading_the_other_kind


def _reading(manifest, prefix: str) -> set[str]:
    """The charts that read a resource named ``prefix…`` as they were built (none is listed by hand:
    a chart quoting a claim reads what the claim's check read only if it computes it, and none does)."""
    return {e["id"] for e in manifest if any(name.startswith(prefix) for name in e["resources"])}


def test_a_library_version_rebuilds_the_charts_it_parsed_or_drew(built):
    out, manifest, _ = built
    now = build.State.now()
    parsed = dataclasses.replace(now, libraries={"pdfplumber": "0.0-test"})
    assert _changed(out, parsed) == _reading(manifest, "ncmec-by-")  # the charts of a parsed PDF
    drawn = dataclasses.replace(now, libraries={"matplotlib": "0.0-test"})
    assert _changed(out, drawn) == {e["id"] for e in manifest}


def test_registering_a_file_a_loader_picks_up_rebuilds_its_charts(built, data_copy):
    out, manifest, _ = built
    package = data_copy / "datapackage.json"
    pdf = data_copy / "raw" / "ncmec" / "ncmec-by-esp-2024.pdf"
    pdf.write_bytes((data_copy / "raw" / "ncmec" / "ncmec-by-esp-2023.pdf").read_bytes())
    datapackage.register(pdf, name="ncmec-by-esp-2024", title="test: a new year's PDF", package=package,
                         sources=[{"title": "test"}], licenses=[{"name": "test"}], obtained="test",
                         accessed="2026-11-29")
    assert _changed(out, build.State.now(), package) == _reading(manifest, "ncmec-by-esp-")


def test_drawn_numbers_are_the_ledger_s(built, results_by_id):
    """A wrong label fails here even when the picture looks the same."""
    out, _, _ = built
    for lang in LANGS:
        headings = READERS_HEADINGS[lang]

        def read(name: str, **options) -> pd.DataFrame:  # a readers' CSV, its columns named as the code names them
            return pd.read_csv(out / lang / name, **options).rename(columns={h: c for c, h in headings.items()})

        reports = read("x-reports-to-ncmec.csv", dtype={headings["category"]: str})
        total = reports[reports["series"] == "total"].set_index("category")
        assert total.loc["2024", "value"] == results_by_id["x-ncmec-reports-2024"].computed.value
        assert total.loc["2024", "label"] == results_by_id["x-ncmec-reports-2024"].claim.published_text(lang)
        shares = read("provider-shares-2024.csv").set_index(["series", "category"])
        share = {"fr": "part 2024", "en": "share 2024"}[lang]  # the series in the reader's language
        assert shares.loc[(share, "X"), "label"] == results_by_id["x-share-of-provider-reports-2024"].claim.published_text(lang)
        tiles = read("x-safety-2024.csv")
        quoted = [results_by_id[i] for i in ("x-ncmec-reports-2024", "x-accounts-suspended-2024", "ncmec-arrests-2024",
                                       "ncmec-convictions-2024")]
        assert tiles["status"].tolist() == [r.status(lang) for r in quoted]
        assert tiles["evidence"].tolist() == [evidence.DESCRIPTION[r.evidence][lang] for r in quoted]
        assert tiles["value"].tolist() == [r.claim.published for r in quoted]
        assert tiles["label"].tolist() == [r.claim.published_text(lang) for r in quoted]
        top = read("grok-app-store-top5.csv").set_index("category")
        assert top.loc["Grok", "value"] == results_by_id["grok-app-store-top5"].claim.published
        assert str(top.loc["Grok", "label"]) == results_by_id["grok-app-store-top5"].claim.published_text(lang)


@pytest.mark.parametrize("chart_id", sorted(chart_id for chart_id, chart in CHARTS.items() if chart.available()))
@pytest.mark.parametrize("lang", LANGS)
def test_every_mark_label_is_a_text_drawn_whole(chart_id, lang):
    """Each label of the readers' CSV is one text of the drawn figure (whole, or followed by a
    word such as "(S1)" or an arrow), at every size: a drawing that prints another number than
    its mark says fails here, even if the number appears elsewhere on the page (a title, a note).
    A label may be wrapped otherwise at one size (a phone's): lines are compared as words."""
    from matplotlib.text import Text

    from analysis.charts import render

    def unwrapped(text: str) -> str:  # breaks and spaces alike; no-break spaces are kept
        return re.sub(r"[ \n]+", " ", text)

    chart = CHARTS[chart_id]
    data = chart.load()
    marks, texts = render.words(chart, data, lang)
    marks["label"] = [unwrapped(label) for label in marks["label"]]
    for size, _, fig in render.figures(chart, data, marks, texts, lang):
        drawn = {unwrapped(text.get_text()) for text in fig.findobj(Text)}
        missing = [label for label in marks["label"]
                   if label and label not in drawn and not any(text.startswith(label + " ") for text in drawn)]
        assert not missing, (size.name, missing)


def test_every_label_in_the_data_file_is_drawn_in_the_pdf(built):
    import pdfplumber
    out, manifest, _ = built
    for entry in manifest:
        csv = next(name for name in entry["files"] if name.endswith(".csv"))
        pdf = next(name for name in entry["files"] if name.endswith(".pdf"))
        with pdfplumber.open(out / pdf) as document:
            drawn = "".join(document.pages[0].extract_text(use_text_flow=True).split())  # drawing order
        for label in pd.read_csv(out / csv, keep_default_na=False)[READERS_HEADINGS[entry["lang"]]["label"]]:
            label = str(label)
            if label.startswith("'") and label[1:].startswith(spreadsheet.FORMULA_STARTS):
                label = label[1:]  # the quote that keeps a spreadsheet from reading "+15.3%" as a formula
            for line in label.splitlines():  # lines of a label may be read apart
                assert "".join(line.split()) in drawn, (pdf, line)


def test_svgs_are_titled_and_hold_their_numbers_as_text(built):
    """Every SVG (web and phone) opens with the chart's title and alt text as ``<title>`` and
    ``<desc>``, declares the house font, and draws every label of the readers' CSV as ``<text>``
    (a label's lines may be set apart, and wrapped otherwise on a phone)."""
    from xml.etree import ElementTree

    out, manifest, _ = built
    svg = "{http://www.w3.org/2000/svg}"
    for entry in manifest:
        csv = next(name for name in entry["files"] if name.endswith(".csv"))
        heading = READERS_HEADINGS[entry["lang"]]["label"]
        labels = [str(label) for label in pd.read_csv(out / csv, keep_default_na=False)[heading] if str(label)]
        for name in entry["files"]:
            if not name.endswith(".svg"):
                continue
            root = ElementTree.parse(out / name).getroot()
            assert [child.tag for child in root[:2]] == [f"{svg}title", f"{svg}desc"], name
            assert (root[0].text, root[1].text) == (entry["title"], entry["alt"]), name
            texts = [element for element in root.iter(f"{svg}text")]
            assert texts and all(f"font-family: '{style.FONT}'" in element.get("style") for element in texts), name
            drawn = " ".join("".join(element.itertext()) for element in texts).split()
            words = " ".join(drawn)
            for label in labels:
                if label.startswith("'") and label[1:].startswith(spreadsheet.FORMULA_STARTS):
                    label = label[1:]  # the quote that keeps a spreadsheet from reading "+15.3%" as a formula
                assert " ".join(label.split()) in words, (name, label)
    x_safety = ElementTree.parse(out / "en" / "x-safety-2024.svg").getroot()
    assert "686,176" in ["".join(element.itertext()) for element in x_safety.iter(f"{svg}text")]


def test_build_refuses_when_a_claim_changed(tmp_path):
    ledger = tmp_path / "claims.yaml"
    ledger.write_text(paths.LEDGER.read_text(encoding="utf-8").replace("published: 686176", "published: 686177"),
                      encoding="utf-8")
    out = tmp_path / "figures"
    with pytest.raises(build.ClaimsChanged, match="x-ncmec-reports-2024 \\(expected matches on transcription evidence, found contradicted"):
        build.build(LANGS, out, ledger=ledger)
    assert not (out / "figures.json").exists() and not [*out.glob("fr/*"), *out.glob("en/*")], "nothing built"


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("layout", [style.WEB.suffix, style.PHONE.suffix])
def test_png_matches_reference_image(built, chart_id, lang, layout, tmp_path):
    """Regression: update deliberately with `make reference-images` and look at the result."""
    out, _, _ = built
    if not CHARTS[chart_id].available():
        pytest.skip(f"{chart_id}: no data collected yet, so no chart and no reference")
    reference = paths.REFERENCE_IMAGES / lang / f"{chart_id}{layout}.png"
    assert reference.exists(), "no reference image; run `make reference-images`"
    difference = build.reference_difference(out / lang / f"{chart_id}{layout}.png", reference,
                                            tmp_path / f"{chart_id}{layout}-diff.png", tolerance=2)
    assert difference is None, f"{lang}/{chart_id}{layout}.png: {difference}"


def test_reference_images_changed_are_listed_with_their_differences(site, tmp_path):
    """`make reference-images` copies only the PNGs that changed and names an image of each one's
    differences; a size change is said, a new chart is said new."""
    out, manifest, _ = site
    references = tmp_path / "references"
    shutil.copytree(paths.REFERENCE_IMAGES, references)
    assert build.update_references(manifest, out, references) == {}
    first, second, third = [name for entry in manifest for name in entry["files"] if name.endswith(".png")][:3]
    pixels = Image.open(out / first).convert("RGB")
    pixels.putpixel((0, 0), (0, 0, 0))
    pixels.save(references / first)
    Image.open(out / second).resize((10, 10)).save(references / second)
    (references / third).unlink()
    built = tmp_path / "built"
    shutil.copytree(out, built)
    changed = build.update_references(manifest, built, references)
    assert sorted(changed) == sorted([first, second, third])
    assert changed[first].endswith(f"differences: {built / '.cache' / 'reference-diffs' / first}")
    assert (built / ".cache" / "reference-diffs" / first).exists()
    assert changed[second].startswith("size 10×10 → ") and changed[third].startswith("new")
    assert all((references / name).read_bytes() == (out / name).read_bytes() for name in changed)


def test_cli_figures_one_language_and_one_chart(tmp_path, capsys):
    from analysis import cli
    assert cli.main(["figures", "--lang", "en", "--only", "x-safety-2024", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "corrections.fr.html", "corrections.html", "en", "figures.json", "index.fr.html", "index.html"]
    assert sorted(p.name for p in (tmp_path / "en").iterdir()) == [f"x-safety-2024.{f}" for f in (
        "csv", "embed.html", "html", "pdf", "phone.png", "phone.svg", "png", "svg")]  # the chart's files, its page and its embed page
    assert cli.main(["figures", "--only", "x-safety", "--out", str(tmp_path)]) == 1
    assert "no chart 'x-safety'; known: " in capsys.readouterr().err


def test_building_one_chart_keeps_the_others(site_copy):
    out, manifest = site_copy
    (out / "en" / "x-safety-2024.png").write_bytes(b"damaged")
    (out / "en" / "x-minors-dsa.png").write_bytes(b"damaged too")
    log = []
    again = build.build(LANGS, out, log=log.append, only={"x-safety-2024"})
    assert [line for line in log if line.startswith("rendered")] == ["rendered    x-safety-2024/en"]
    assert {(e["id"], e["lang"]) for e in again} == {(e["id"], e["lang"]) for e in manifest} - {("x-minors-dsa", "en")}


def test_build_refuses_synthetic_inputs(tmp_path, data_copy):
    package = data_copy / "datapackage.json"
    real = data_copy / "raw" / "press" / "wapo-app-store-top-free-2026-01-as-reported.csv"
    top5 = real.rename(real.with_name("synthetic-top5.csv"))  # a file named synthetic is one
    entry = datapackage.resource("wapo-app-store-top5-2026-01", package)
    datapackage.register(top5, package=package, **{k: v for k, v in entry.items() if k in
                                                   ("name", "title", "sources", "licenses", "obtained", "accessed")})
    with datapackage.using(package), pytest.raises(build.SyntheticInput, match="reads synthetic data"):
        build.build(LANGS, tmp_path)
    assert not (tmp_path / "figures.json").exists()
    assert not any((tmp_path / lang).exists() for lang in LANGS)  # no chart drawn, not even those before it


def test_rank_history_chart_draws_once_two_snapshots_are_registered(tmp_path, server, site_copy):
    """Registering a file that a loader picks up builds the chart that reads it, and only it."""
    from analysis.httpclient import make_session
    from analysis.sources import apple
    package = tmp_path / "data" / "datapackage.json"
    shutil.copytree(paths.DATA, package.parent)
    out, _ = site_copy  # every chart current, for the same data in another folder
    with datapackage.using(package):
        for day, order in (("2026-01-10", ["ChatGPT", "Example", "Grok", "Google Gemini"]),
                           ("2026-01-11", ["Grok", "ChatGPT", "Example", "Google Gemini"])):
            payload = json.loads(apple.synthetic_payload("us", len(order)))  # made up here, in the test
            for result, name in zip(payload["feed"]["results"], order):
                result["name"] = name
            server.script["us"] = [(200, json.dumps(payload).encode())]
            apple.fetch_snapshot(make_session(retries=0), country="us", chart="top-free", limit=len(order),
                                 base_url=server.url, out_dir=package.parent / "raw" / "apple_charts",
                                 retrieved_at=pd.Timestamp(f"{day} 08:00", tz="UTC"), timeout=(2, 2))
        log = []
        build.build(LANGS, out, log=log.append)
    assert sorted(line for line in log if line.startswith("rendered")) == [
        "rendered    grok-rank-history/en", "rendered    grok-rank-history/fr"]


@pytest.mark.parametrize("chart_id, frames", [("x-reports-to-ncmec", ("years", "rows")),
                                              ("provider-shares-2024", ("shares",))])
def test_a_year_parsed_from_ncmec_s_pdf_is_no_longer_credited_to_a_transcription(chart_id, frames):
    """Registering NCMEC's 2024 PDF turns the 2024 rows' evidence to primary: the words follow
    (source, hatching's note, which table lists the companies)."""
    from analysis.charts import render
    chart = CHARTS[chart_id]
    data = chart.load()
    for name in frames:
        data[name] = data[name].assign(evidence=evidence.PRIMARY)
    if "previous_evidence" in data.get("shares", {}):
        data["shares"] = data["shares"].assign(previous_evidence=evidence.PRIMARY)
    for lang in LANGS:
        _, texts = render.words(chart, data, lang)
        assert "transcri" not in (texts.subtitle + texts.notes + texts.source).lower(), texts
        assert "hatch" not in texts.notes.lower() and "hachur" not in texts.notes.lower(), texts  # nothing hatched


def _words(chart_id: str, lang: str):
    from analysis.charts import render
    chart = CHARTS[chart_id]
    return render.words(chart, chart.load(), lang)


@pytest.mark.parametrize("lang, word", [("en", "— reported"), ("fr", "— rapporté")])
def test_a_value_resting_on_a_figure_only_x_reported_says_so_where_it_is_drawn(lang, word):
    from matplotlib.text import Text

    from analysis.charts import render
    chart = CHARTS["x-reports-per-suspension"]
    data = chart.load()
    marks, texts = render.words(chart, data, lang)
    on_reported = marks["evidence"].isin([evidence.REPORTED, evidence.ARITHMETIC_ON_REPORTED])
    reported = marks[(marks["series"] != "event") & on_reported]
    assert len(reported) == 1  # the year 2024: X Safety's suspension count (the halves are X's own reports)
    for _, _, fig in render.figures(chart, data, marks, texts, lang):
        drawn = [text.get_text() for text in fig.findobj(Text)]
        for label in reported["label"]:
            assert any(text.startswith(label + " ") and text.endswith(word) for text in drawn), label
        assert sum(text.endswith(word) for text in drawn if text[:1].isdigit()) == len(reported)
    assert "X Safety" in texts.notes and "published from mid-2022" not in texts.notes


def test_x_s_share_says_of_what_and_the_alt_text_gives_every_year_it_names():
    for lang, scope in (("en", "of all platforms’ reports"), ("fr", "de l’ensemble des plateformes")):
        marks, texts = _words("x-share-of-reports", lang)
        assert scope in texts.notes and scope in texts.alt
        for series, points in marks.groupby("series"):
            assert points["label"].iloc[0] in texts.alt and points["label"].iloc[-1] in texts.alt, series


def test_ncmec_change_gives_x_s_share_of_the_platforms_reports():
    _, en = _words("ncmec-change-2024", "en")
    assert "of all reports" not in en.notes and "of the platforms’ reports" in en.notes


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text) if part]


def test_nbc_s_29_2_million_is_called_incidents_wherever_a_chart_gives_it():
    """NBC's "about 29.2 million" counts incidents, not reports (the ledger's note): every sentence
    of every chart that gives it says so."""
    claim = claims.claim(provenance.BUNDLING_CLAIM)
    found = 0
    for chart_id in (chart_id for chart_id, chart in CHARTS.items() if chart.available()):
        for lang in LANGS:
            texts = _words(chart_id, lang)[1]
            millions = house_typography(format_number(claim.published / 1e6, lang, 1), lang)
            for field in ("title", "subtitle", "notes", "alt"):
                for sentence in _sentences(getattr(texts, field)):
                    if millions in sentence:
                        found += 1
                        assert "incidents" in sentence, sentence
                        assert "reports of suspected" not in sentence and "signalements d’exploitation" not in sentence
    assert found >= 2  # ncmec-change-2024, in both languages


# Charts that set NCMEC's 2024 against 2023: each says what the ledger says of the bundling.
COMPARING_2024_WITH_2023 = ("x-reports-to-ncmec", "x-share-of-reports", "provider-shares-2024", "ncmec-change-2024")


@pytest.mark.parametrize("chart_id", COMPARING_2024_WITH_2023)
@pytest.mark.parametrize("lang", LANGS)
def test_every_2024_against_2023_comparison_gives_ncmec_s_bundling_as_the_ledger_does(chart_id, lang):
    claim = claims.claim(provenance.BUNDLING_CLAIM)
    assert "neither NCMEC’s own wording about bundling" in claim.note  # what the attribution rests on
    notes = _words(chart_id, lang)[1].notes
    assert house_typography(provenance.bundling_note(claim, 2023, 2024, lang), lang) in notes
    press, none_held = {"en": ("according to the press", "we hold no NCMEC wording"),
                        "fr": ("selon la presse", "nous ne détenons aucun texte du NCMEC")}[lang]
    assert press in notes.lower() and none_held in notes
    assert claim.period in notes


def test_a_chart_not_reaching_the_bundling_year_does_not_mention_it():
    claim = claims.claim(provenance.BUNDLING_CLAIM)
    assert provenance.bundling_note(claim, 2019, 2023, "en") == ""
    assert "bundling" not in _words("france-ncmec-reports", "en")[1].notes


@pytest.mark.parametrize("chart_id, series", [("ncmec-change-2024", ("company", "meta")),
                                              ("provider-shares-2024", ("share 2024",))])
@pytest.mark.parametrize("lang, words", [
    ("en", "companies listed {}in the transcription we hold of {} 2024 table"),
    ("fr", "groupes listés {}dans la transcription que nous détenons {} 2024{}"),
])
def test_a_count_of_companies_says_it_is_the_transcription_s(chart_id, series, lang, words):
    """NCMEC lists hundreds of providers; the 2024 transcription we hold, a few: the count drawn is
    the transcription's."""
    marks, texts = _words(chart_id, lang)
    count = int(marks["series"].isin(series).sum())
    both = {"en": "both in NCMEC’s 2023 table and ", "fr": "à la fois dans le tableau 2023 du NCMEC et "}[lang]
    two_years = chart_id == "ncmec-change-2024"  # the second table is NCMEC's "its"
    named = {"en": ("NCMEC’s", "its"), "fr": ("du tableau", "de son tableau")}[lang][two_years]
    expected = words.format(both if two_years else "", named, "" if two_years or lang == "en" else " du NCMEC")
    largest = {"en": f"the {count} largest of ", "fr": f"les {count} plus grands des "}[lang]  # of those listed
    assert re.search(re.escape(largest) + r"\d+[\u00a0\u202f ]" + re.escape(expected), texts.subtitle), texts.subtitle
    assert "listed in both years)" not in texts.subtitle


@pytest.mark.parametrize("lang, not_held", [("en", "not held by us"), ("fr", "que nous ne\ndétenons pas")])
def test_the_prosecutor_s_change_is_drawn_off_the_axis_of_yearly_counts(lang, not_held):
    """The −81.4 % (X only, a change over months) sits right of the bars' axes (under them on a
    phone), in its own panel, at every size: never in the slot of a year."""
    from matplotlib.text import Text

    from analysis.charts import layout, render
    chart = CHARTS["france-ncmec-reports"]
    data = chart.load()
    marks, texts = render.words(chart, data, lang)
    label = marks.loc[marks["series"] == "reported", "label"].item()
    for size, _, fig in render.figures(chart, data, marks, texts, lang):
        layout.boxes(fig)  # draws the figure: extents are known
        bars = next(ax for ax in fig.axes if ax.containers)
        boxed = next(text for text in fig.findobj(Text) if text.get_text() == label)
        assert boxed.axes is not bars, size.name
        if size.portrait:
            assert boxed.get_bbox_patch().get_window_extent().y1 < bars.get_window_extent().y0, size.name
        else:
            assert boxed.get_bbox_patch().get_window_extent().x0 > bars.get_window_extent().x1, size.name
        assert any(not_held.replace("\n", " " if size.portrait else "\n") in text.get_text() for text in bars.texts), size.name


def test_the_app_store_screenshot_is_dated_by_its_month():
    assert "in January\u00a02026" in _words("grok-app-store-top5", "en")[1].subtitle
    assert "en janvier\u00a02026" in _words("grok-app-store-top5", "fr")[1].subtitle


def test_x_safety_source_credits_the_transcription_of_ncmec_s_figure():
    assert _words("x-safety-2024", "en")[1].source.endswith("; NCMEC, 2024: transcription by R. Grimm (diaphanous)")
    assert _words("x-safety-2024", "fr")[1].source.endswith(
        "\u202f; NCMEC, 2024\u202f: transcription de R. Grimm (diaphanous)")


def test_nbc_s_words_in_french_are_marked_as_our_translation():
    _, french = _words("ncmec-change-2024", "fr")
    assert "millions\u00a0» [notre traduction]" in french.notes  # NBC wrote English: the quote's French is ours
