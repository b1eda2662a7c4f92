"""The readers' gallery, in French and English, and the notebooks rendered as pages: every chart
with its data, every page opens from the file system in headless Chromium with every image loaded,
every local link resolving and the console clean. The Chromium test skips, saying why, where no
Chromium is installed."""

import os
import re
import shutil
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

from analysis import claims, evidence, methodology
from analysis.charts import build, gallery
from analysis.formatting import house_typography

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A full build as `make figures` does it: notebooks rendered first, then charts and gallery."""
    out = tmp_path_factory.mktemp("gallery")
    methodology.render(out, log=lambda _: None)
    manifest = build.build(build.LANGS, out, log=lambda _: None)
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
    results = claims.check_all()
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


def test_figures_are_readable_by_a_web_server(built):
    out, _ = built
    files = [path for path in out.rglob("*") if path.is_file() and ".cache" not in path.parts]
    assert files
    assert {oct(path.stat().st_mode & 0o777) for path in files} == {oct(0o666 & ~_umask())}


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


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
