"""Hostile text from the data on the pages readers open: a script-bearing source URL is refused when
the ledger is read; markup in the ledger's sentences and notes comes out inert on the gallery and on
the notebook pages, which also carry a Content-Security-Policy allowing no script."""

import dataclasses
import re

import nbformat
import pytest

from analysis import claims, factcheck, methodology
from analysis.charts import gallery
from analysis.errors import DataError
from conftest import ledger_copy

PAYLOAD = "<img src=x onerror=alert(1)><script>alert(1)</script>"
INERT = "&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
CSP = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
       'img-src \'self\' data:; base-uri \'none\'; form-action \'none\'">')


def _ledger_copy(tmp_path, **fields) -> tuple:
    """A copy of the ledger with ``fields`` set on its first entry."""
    path, entries = ledger_copy(tmp_path, lambda entries: entries[0].update(fields))
    return path, entries[0]["id"]


BAD_URLS = {
    "javascript:": "javascript:alert(1)",
    "JavaScript, mixed case": "JaVaScRiPt:alert(1)",
    "data:": "data:text/html,<script>alert(1)</script>",
    "vbscript:": "vbscript:msgbox(1)",
    "leading space": " https://example.org/a.pdf",
    "no scheme": "//evil.example/a.pdf",
    "ftp:": "ftp://example.org/a.pdf",
    "space inside": "https://example.org/a b.pdf",
}


@pytest.mark.parametrize("name", BAD_URLS)
def test_source_url_other_than_http_is_refused(tmp_path, name):
    path, claim_id = _ledger_copy(tmp_path, source_url=BAD_URLS[name])
    with pytest.raises(DataError) as raised:
        claims.load(path)
    assert str(raised.value) == (f"{path}, row 1, column source_url: claim {claim_id!r}: source_url "
                                 f"{BAD_URLS[name]!r} is not an http(s) address (null if it was not recorded)")


@pytest.mark.parametrize("url", [None, "https://example.org/report.pdf", "http://example.org/a?b=1&c=2"])
def test_http_url_or_null_is_accepted(tmp_path, url):
    path, _ = _ledger_copy(tmp_path, source_url=url)
    assert claims.load(path)[0].source_url == url


def _hostile_results(tmp_path, ledger_results):
    """Every claim's result, its claim read from a ledger whose texts carry markup."""
    def carry_markup(entries):
        for entry in entries:
            entry.update(note=PAYLOAD, note_fr=PAYLOAD, sentence_en=PAYLOAD, sentence_fr=PAYLOAD, said_by=PAYLOAD,
                         said_by_fr=PAYLOAD, period=PAYLOAD)

    path, _ = ledger_copy(tmp_path, carry_markup)
    hostile = {claim.id: claim for claim in claims.load(path)}
    return [dataclasses.replace(r, claim=hostile[r.claim.id]) for r in ledger_results]


def _assert_inert(html: str) -> None:
    assert "<script" not in html and "<img src=x" not in html and "onerror=alert(1)>" not in html
    assert "javascript:" not in html.lower()


@pytest.mark.parametrize("lang", gallery.PAGES)
def test_gallery_shows_markup_as_text(tmp_path, ledger_results, lang):
    manifest = [{"id": "hostile", "lang": lang, "title": PAYLOAD, "alt": PAYLOAD, "source": PAYLOAD,
                 "files": [f"{lang}/hostile.png", f"{lang}/hostile.phone.png", f"{lang}/hostile.csv"]}]
    html = gallery.page(manifest, _hostile_results(tmp_path, ledger_results), tmp_path, lang)
    _assert_inert(html)
    assert html.count(INERT) >= 3 * len(ledger_results) + 3  # sentence, said by and note of each claim; title, alt…
    assert CSP in html


@pytest.mark.parametrize("lang", gallery.PAGES)
def test_chart_and_embed_pages_show_markup_as_text(tmp_path, ledger_results, lang):
    hostile = _hostile_results(tmp_path, ledger_results)
    entry = {"id": "hostile", "lang": lang, "title": PAYLOAD, "alt": PAYLOAD, "source": PAYLOAD,
             "files": [f"{lang}/hostile.png", f"{lang}/hostile.phone.png", f"{lang}/hostile.csv"], "claims": [r.claim.id for r in hostile]}
    html = gallery.chart_page(entry, {r.claim.id: r for r in hostile}, tmp_path)
    _assert_inert(html)
    assert html.count(INERT) >= len(hostile) + 3 and CSP in html  # each claim's sentence; title, alt, source
    embed = gallery.embed_page(entry, tmp_path)
    _assert_inert(embed)
    assert embed.count(INERT) >= 2 and CSP in embed


def test_notebook_page_shows_markup_as_text(tmp_path, ledger_results):
    result = _hostile_results(tmp_path, ledger_results)[0]
    notebook = tmp_path / "99_hostile.ipynb"
    document = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A hostile page"),
        nbformat.v4.new_code_cell("display(Markdown(factcheck.explanation(result)))", outputs=[
            nbformat.v4.new_output("display_data", data={"text/markdown": factcheck.explanation(result)}),
            nbformat.v4.new_output("display_data", data={"text/markdown": "[a link](javascript:alert(1))"}),
        ])])
    nbformat.write(document, notebook)
    html = methodology.write_page(notebook, document, tmp_path).read_text()
    _assert_inert(html)
    assert INERT in html and '<a href="#harmful-link">a link</a>' in html
    assert CSP in html
    assert re.search(r'<h1 id="A-hostile-page">A hostile page', html)  # our own Markdown still renders


def _png(path):
    from matplotlib.figure import Figure

    path.parent.mkdir(parents=True, exist_ok=True)
    Figure(figsize=(1, 1)).savefig(path, format="png")
    return path


def test_pages_under_their_policy_in_chromium(tmp_path, ledger_results, browser):
    """In a browser: images load under the policy (a PNG beside the gallery, a notebook's inline
    figure), nothing from the data runs, and the console is clean."""
    import base64

    manifest = [{"id": "hostile", "lang": "en", "title": PAYLOAD, "alt": PAYLOAD, "source": PAYLOAD,
                 "files": ["en/hostile.png", "en/hostile.phone.png"]}]
    _png(tmp_path / "en" / "hostile.png")
    gallery_page = tmp_path / "index.html"
    gallery_page.write_text(gallery.page(manifest, _hostile_results(tmp_path, ledger_results), tmp_path, "en"))
    figure = base64.b64encode(_png(tmp_path / "inline.png").read_bytes()).decode()
    notebook = tmp_path / "99_hostile.ipynb"
    document = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Hostile"), nbformat.v4.new_code_cell(
        "", outputs=[nbformat.v4.new_output("display_data", data={"text/markdown": PAYLOAD}),
                     nbformat.v4.new_output("display_data", data={"image/png": figure})])])
    nbformat.write(document, notebook)
    notebook_page = methodology.write_page(notebook, document, tmp_path)
    for path in (gallery_page, notebook_page):
        ran, errors = [], []
        page = browser.new_page()
        page.on("dialog", lambda dialog: (ran.append(dialog.message), dialog.dismiss()))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        loaded = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
        page.close()
        assert (path.name, ran, errors, loaded) == (path.name, [], [], [True])
