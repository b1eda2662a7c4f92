"""The readers' gallery, in French and English, and the notebooks rendered as pages: every chart
with its data, every page opens from the file system in headless Chromium with every image loaded,
every local link resolving and the console clean. The Chromium test skips, saying why, where no
Chromium is installed."""

import re
import shutil
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

from analysis import evidence, methodology, verify
from analysis.charts import chart, gallery
from analysis.formatting import house_typography

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def built(site):
    """The session's build, as `make figures` does it: notebooks rendered first, then charts and gallery."""
    out, manifest, _ = site
    return out, manifest


def test_each_language_has_its_page_with_its_charts_and_their_data(built):
    out, manifest = built
    for lang, name in gallery.PAGES.items():
        html = (out / name).read_text()
        assert f'<html lang="{lang}">' in html
        mine = [entry for entry in manifest if entry["lang"] == lang]
        assert html.count("<img ") == len(mine) > 0
        for entry in mine:
            assert escape(entry["alt"]) in html and escape(entry["source"]) in html
            for name_ in entry["files"]:
                assert f'href="{name_}"' in html
        assert 'id="claim-x-transparency-report"' in html
        assert "<script" not in html
    english, french = ((out / name).read_text() for name in gallery.PAGES.values())
    assert "Fact-check of the article’s figures" in english and "data (CSV)" in english
    assert "Vérification des chiffres de l’article" in french and "données (CSV)" in french
    assert "Télécharger\u202f:" in french and "contredit" in french and "[our translation" not in french


def test_the_fact_check_says_what_verify_says_for_every_claim(built):
    """One vocabulary: each row's status pill is the status `verify` derives, in the page's language
    ("verified" only for a match with a primary document)."""
    out, _ = built
    results = verify.check_all()
    for lang, name in gallery.PAGES.items():
        html = (out / name).read_text()
        for result in results:
            row = re.search(rf'<tr id="claim-{result.claim.id}">.*?</tr>', html).group()
            pill = re.search(r'<span class="status"[^>]*>(.*?)</span>', row).group(1)
            assert unescape(pill) == house_typography(result.status(lang), lang), (lang, result.claim.id)
    english = (out / gallery.PAGES["en"]).read_text()
    row = re.search(r'<tr id="claim-x-ncmec-reports-2024">.*?</tr>', english).group()
    assert ">matches a third-party transcription</span>" in row


def test_a_note_naming_another_claim_links_to_its_row(built):
    out, _ = built
    html = (out / gallery.PAGES["en"]).read_text()
    row = re.search(r'<tr id="claim-x-ncmec-reports-2025-vs-2024">.*?</tr>', html).group()
    assert '<a href="#claim-x-and-xai-ncmec-reports-2025-vs-2024">' in row
    assert 'id="claim-x-and-xai-ncmec-reports-2025-vs-2024"' in html


def test_the_csv_is_what_readers_need(built):
    out, manifest = built
    for entry in manifest:
        csv = out / next(name for name in entry["files"] if name.endswith(".csv"))
        text = csv.read_bytes().decode("utf-8")  # UTF-8, or this raises
        header, *rows = text.splitlines()
        assert header == "series,category,value,label,status,evidence,source"
        assert rows, csv
        table = pd.read_csv(csv, keep_default_na=False)
        assert (table["status"] != "").all() and (table["source"] != "").all(), csv
        descriptions = {words[entry["lang"]] for words in evidence.DESCRIPTION.values()}
        assert set(table["evidence"]) <= descriptions, csv


# What a French CSV keeps as the English wrote it: addresses, names and the titles of documents.
KEPT = re.compile(r"https?://\S+|CyberTipline Reports by (?:ESP|Country)|The Washington Post|Twitter Transparency Center|"
                  r"Public Law|X Safety|@Safety|Next\.ink|Jean-Marc Manach|R\. Grimm|NBC News|Le Monde|"
                  r"Global Platform for Child Exploitation Policy")
# English's small words, and the words of this project's marks a translation table could lose.
ENGLISH = {"the", "of", "and", "by", "to", "as", "for", "from", "with", "per", "not", "only", "then", "reported",
           "prosecutor", "transcribed", "share", "primary", "statistics", "screenshot", "relayed", "month", "mean",
           "change", "event", "rank", "company", "others", "implied", "suspended", "gap", "row", "congress",
           "spokesperson", "report", "recorded", "figure", "figures"}


def _english_words() -> set[str]:
    """Words that give away English in a French CSV: those of the phrases the CSVs translate (and
    of the evidence words) that French does not share, and English's small words."""
    def words(texts):
        return {w.lower() for text in texts for w in re.findall(r"[^\W\d_]{2,}", text)}
    return (words(chart.FRENCH) - words(chart.FRENCH.values())) | ENGLISH


def test_french_csvs_say_series_and_source_in_french(built):
    """Issue 21: no English series or source reaches a French reader's CSV (names, document titles
    and addresses excepted)."""
    out, manifest = built
    english = _english_words()
    assert {"reported", "prosecutor", "transcribed", "share", "primary"} <= english
    checked, left = 0, []
    for entry in (e for e in manifest if e["lang"] == "fr"):
        csv = out / next(name for name in entry["files"] if name.endswith(".csv"))
        table = pd.read_csv(csv, keep_default_na=False, dtype=str)
        for column in ("series", "source"):
            for text in table[column]:
                checked += 1
                found = set(re.findall(r"[^\W\d_]{2,}", KEPT.sub("", text).lower())) & english
                if found:
                    left.append(f"{csv.name} {column}: {text!r} ({', '.join(sorted(found))})")
    assert checked > 50 and left == []


def test_the_french_words_of_a_csv_exactly():
    assert chart.in_french("Paris prosecutor (Le Monde, then Next.ink)") == "parquet de Paris (Le Monde, puis Next.ink)"
    assert chart.in_french("NCMEC (primary); X Safety (reported-only)") == \
        "NCMEC (document d\u2019origine); X Safety (seulement rapporté)"
    assert chart.in_french("Thorn's spokesperson, to NBC News (18 June 2025)") == \
        "porte-parole de Thorn, à NBC News (18\u00a0juin\u00a02025)"
    assert chart.in_french("x_share_pct") == "part de X (ensemble des plateformes)" and chart.in_french("share 2024") == "part 2024"
    marks = chart.marks([{"series": "reported change", "category": "c", "value": 1.0, "label": "",
                          "evidence": "reported", "verdict": "reported-only", "source": "Paris prosecutor"}])
    french = chart.readers_table(marks, "fr").iloc[0]
    assert (french["series"], french["source"], french["status"]) == ("évolution rapportée", "parquet de Paris",
                                                                       "seulement rapporté")
    assert chart.readers_table(marks, "en").iloc[0]["series"] == "reported change"


def test_figures_are_readable_by_a_web_server(built):
    out, _ = built
    files = [path for path in out.rglob("*") if path.is_file() and ".cache" not in path.parts]
    assert files
    assert {oct(path.stat().st_mode & 0o777) for path in files} == {oct(0o644)}  # whatever the umask


def test_the_gallery_links_every_rendered_notebook(built):
    out, _ = built
    for name in gallery.PAGES.values():
        html = (out / name).read_text()
        for notebook in methodology.notebooks():
            assert f'href="notebooks/{notebook.stem}.html"' in html
    page = (out / "notebooks" / "01_x_reports_to_ncmec.html").read_text()
    assert "870,503" in page and "<script" not in page  # executed: computed prose is there


def _local_links(page: Path) -> list[str]:
    links = re.findall(r'(?:href|src)="([^"#]+)', page.read_text())
    return [link for link in links if not urlparse(link).scheme]


def test_every_local_link_resolves(built):
    out, _ = built
    pages = [out / name for name in gallery.PAGES.values()] + sorted((out / "notebooks").glob("*.html"))
    missing = [(page.name, link) for page in pages for link in _local_links(page)
               if not (page.parent / unquote(link)).exists()]
    assert missing == []


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")
def test_every_page_in_headless_chromium(built, tmp_path):
    from playwright.sync_api import sync_playwright

    out, manifest = built
    pages = [out / name for name in gallery.PAGES.values()] + sorted((out / "notebooks").glob("*.html"))
    report = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        for path in pages:
            errors = []
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
            links = page.evaluate("[...document.links].map(a => a.href).filter(h => h.startsWith('file:'))")
            report[path.name] = {"errors": errors, "broken images": broken,
                                 "missing links": [h for h in links if not Path(unquote(urlparse(h).path)).exists()]}
            if path.name in gallery.PAGES.values():
                assert page.evaluate("document.images.length") == len(manifest) // 2
            page.close()
        browser.close()
    assert report == {name: {"errors": [], "broken images": [], "missing links": []} for name in report}


def test_a_source_whose_address_was_not_recorded_says_so(built):
    """Issue 21: no link to a home page in place of the document; the reader is told the URL was not
    recorded, in the page's language."""
    out, _ = built
    for lang, words in (("en", "URL not recorded"), ("fr", "URL non relevée")):
        html = (out / gallery.PAGES[lang]).read_text()
        row = re.search(r'<tr id="claim-x-france-reports-drop">.*?</tr>', html).group()
        assert words in row and "<a href=\"http" not in row
        links = re.findall(r'<a href="(https?://[^"]*)"', html)
        assert links and all(urlparse(unescape(link)).path not in ("", "/") for link in links)
