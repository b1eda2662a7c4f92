"""House typography in every string we publish, French and English: chart texts and labels
(figures.json, the CSVs), the gallery pages' own words, the ledger's text that is ours, the README's
generated section and the prose the notebooks' code writes. Article quotes stay verbatim and are
not scanned. A string passes when the house rules leave it unchanged
(:func:`analysis.formatting.house_typography`)."""

import json
from html.parser import HTMLParser

import pandas as pd
import pytest

from analysis import claims, factcheck, methodology
from analysis.charts import chart, gallery
from analysis.formatting import house_typography


def broken(strings: list[tuple[str, str, str]]) -> list[str]:
    """``(where, lang, text)`` → what breaks a rule, with the fix the rules would make."""
    return [f"{where} ({lang}): {text!r} → {house_typography(text, lang)!r}"
            for where, lang, text in strings if house_typography(text, lang) != text]


@pytest.fixture
def built(site):
    out, manifest, _ = site
    return out, manifest


def test_the_checker_catches_each_rule():
    assert len(broken([("t", "fr", "Source : 21,2 % de 870 503, l'année, -3"),
                       ("t", "en", "fell 81.4 % : X's"), ("t", "fr", "Source\u202f: 3\u202f%")])) == 2


def test_chart_texts_and_labels(built):
    out, manifest = built
    on_disk = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    strings = [(f"{e['id']} {field}", e["lang"], e[field]) for e in on_disk for field in ("title", "alt", "source")]
    for entry in manifest:
        csv = next(name for name in entry["files"] if name.endswith(".csv"))
        table = pd.read_csv(out / csv, keep_default_na=False, dtype=str)
        heading = chart.READERS_HEADINGS[entry["lang"]]
        strings += [(f"{csv} {column}", entry["lang"], text) for column in ("series", "category", "label", "source")
                    for text in table[heading[column]] if text]
    assert len(strings) > 50 and broken(strings) == []


class _Text(HTMLParser):
    """The visible text of a page with the language it is in; skips style, code and verbatim quotes."""

    SKIP = {"style", "code", "title"}

    def __init__(self, lang):
        super().__init__()
        self.stack, self.found = [(None, lang, False)], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        _, lang, skip = self.stack[-1]
        if tag not in ("br", "img", "meta"):
            self.stack.append((tag, attrs.get("lang", lang),
                               skip or tag in self.SKIP or attrs.get("class") == "verbatim"))

    def handle_endtag(self, tag):
        if tag not in ("br", "img", "meta") and len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data):
        _, lang, skip = self.stack[-1]
        if not skip and data.strip():
            self.found.append((f"<{self.stack[-1][0]}>", lang, data))  # unstripped: strip() eats NBSP


def test_gallery_pages(built):
    out, _ = built
    strings = []
    for lang in gallery.PAGES:  # galleries, corrections logs, chart and embed pages
        for page in [out / gallery.PAGES[lang], out / gallery.CORRECTIONS_PAGES[lang], *sorted((out / lang).glob("*.html"))]:
            parser = _Text(lang)
            parser.feed(page.read_text(encoding="utf-8"))
            strings += [(f"{page.name} {where}", lang, text) for where, lang, text in parser.found]
    assert len(strings) > 1000 and broken(strings) == []


def test_ledger_text_that_is_ours(ledger_results):
    strings = []
    for claim in claims.load():
        strings += [(f"{claim.id} {field}", lang, getattr(claim, field)) for field, lang in claims.OURS.items()]
        if claim.kind != "article":  # an article's French is a verbatim quote
            strings.append((f"{claim.id} sentence_fr", "fr", claim.sentence_fr))
        strings.append((f"{claim.id} sentence(en)", "en", claim.sentence("en")))
    strings += [("README section", "en", factcheck.readme_section(ledger_results))]
    assert broken(strings) == []


def test_prose_written_by_the_notebooks(executed_notebooks):
    strings = [(notebook.name, "en", text) for notebook, document in executed_notebooks.items()
               for text in methodology.prose(document)]
    assert len(strings) >= 20 and broken(strings) == []
