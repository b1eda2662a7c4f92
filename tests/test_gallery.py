"""The readers' gallery opens from the file system in headless Chromium: every image loads and
the console stays clean. Skips, saying why, where no Chromium is installed."""

import shutil
from html import escape

import pytest

from analysis.charts import build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    out = tmp_path_factory.mktemp("gallery")
    manifest = build.build(build.LANGS, out, log=lambda _: None)
    return out / "index.html", manifest


def test_gallery_lists_every_chart_alt_text_and_claim(gallery):
    page, manifest = gallery
    html = page.read_text()
    for entry in manifest:
        assert escape(entry["alt"]) in html and escape(entry["source"]) in html
        for name in entry["files"]:
            assert f'href="{name}"' in html
    assert html.count("<img ") == len(manifest)
    assert 'id="claim-x-transparency-report"' in html and "contradicted" in html
    assert "http://" not in html.replace('href="http', "") and "<script" not in html


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")
def test_gallery_in_headless_chromium(gallery, tmp_path):
    from playwright.sync_api import sync_playwright

    page_path, manifest = gallery
    errors = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
        count = page.evaluate("document.images.length")
        page.screenshot(path=str(tmp_path / "gallery.png"), full_page=False)
        browser.close()
    assert count == len(manifest)
    assert broken == []
    assert errors == []
