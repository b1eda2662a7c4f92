"""The readers' gallery, in French and English, and the notebooks rendered as pages: every chart
with its data, every page opens from the file system in headless Chromium with every image loaded,
every local link resolving and the console clean. The Chromium test skips, saying why, where no
Chromium is installed."""

import re
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

from analysis import evidence, methodology
from analysis.charts import chart, charts, gallery, style
from analysis.colour import AA_TEXT, contrast_ratio
from analysis.formatting import format_day, house_typography
from analysis.version import project_version


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


def test_the_fact_check_says_what_verify_says_for_every_claim(built, ledger_results):
    """One vocabulary: each row's status pill is the status `verify` derives, in the page's language
    ("verified" only for a match with a primary document)."""
    out, _ = built
    for lang, name in gallery.PAGES.items():
        html = (out / name).read_text()
        for result in ledger_results:
            row = re.search(rf'<tr id="claim-{result.claim.id}">.*?</tr>', html).group()
            pill = re.search(r'<span class="status [^"]*">(.*?)</span>', row).group(1)
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
        assert header == {"en": "series,category,value,label,status,evidence,source",
                          "fr": "série,catégorie,valeur,libellé,statut,fondement,source"}[entry["lang"]]
        assert rows, csv
        heading = chart.READERS_HEADINGS[entry["lang"]]
        table = pd.read_csv(csv, keep_default_na=False)
        assert (table[heading["status"]] != "").all() and (table[heading["source"]] != "").all(), csv
        descriptions = {words[entry["lang"]] for words in evidence.DESCRIPTION.values()}
        assert set(table[heading["evidence"]]) <= descriptions, csv


def test_both_languages_csvs_have_the_same_columns_in_the_same_order():
    assert [list(headings) for headings in chart.READERS_HEADINGS.values()] == [chart.READERS_COLUMNS] * 2


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
    """Issues 21 and 25: no English series, source or column heading reaches a French reader's CSV
    (names, document titles and addresses excepted)."""
    out, manifest = built
    english = _english_words() | {"series", "category", "value", "label", "status", "evidence"}
    assert {"reported", "prosecutor", "transcribed", "share", "primary"} <= english
    heading = chart.READERS_HEADINGS["fr"]
    checked, left = 0, []
    for entry in (e for e in manifest if e["lang"] == "fr"):
        csv = out / next(name for name in entry["files"] if name.endswith(".csv"))
        table = pd.read_csv(csv, keep_default_na=False, dtype=str)
        texts = {"header": list(table.columns)} | {column: table[heading[column]] for column in ("series", "source")}
        for column, column_texts in texts.items():
            for text in column_texts:
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
    assert (french["série"], french["source"], french["statut"]) == ("évolution rapportée", "parquet de Paris",
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


def _pages(out: Path) -> list[Path]:
    """Every HTML page of the built site: galleries, corrections, chart and embed pages, notebooks."""
    return sorted(path for path in out.rglob("*.html") if ".cache" not in path.parts)


def _local_links(page: Path) -> list[str]:
    links = re.findall(r'(?:href|src|srcset)="([^"]+)', page.read_text())
    return [unescape(link) for link in links if not urlparse(unescape(link)).scheme]


def test_every_local_link_resolves(built):
    """Every page's every link to a file of the site, and to a place in a page (#claim-…), resolves."""
    out, _ = built
    missing = []
    for page in _pages(out):
        for link in _local_links(page):
            path, _, anchor = link.partition("#")
            target = (page.parent / unquote(path)).resolve() if path else page
            if not target.exists():
                missing.append((page.name, link))
            elif anchor and f'id="{anchor}"' not in target.read_text():
                missing.append((page.name, link))
    assert len(_pages(out)) > 40 and missing == []


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


# Issue 25: readers on any screen.

def test_the_story_lists_every_chart_once():
    ids = [chart_id for chart_id, _ in gallery.STORY]
    assert len(ids) == len(set(ids)) and set(ids) == set(charts())
    assert {notebook for _, notebook in gallery.STORY} <= {path.stem for path in methodology.notebooks()}


def test_the_gallery_lists_charts_in_the_story_order_each_linking_its_page(built):
    out, manifest = built
    for lang, name in gallery.PAGES.items():
        html = (out / name).read_text()
        listed = re.findall(r'<h3 id="([^"]+)"><a href="([^"]+)">', html)
        drawn = {entry["id"] for entry in manifest if entry["lang"] == lang}
        assert [chart_id for chart_id, _ in listed] == [c for c, _ in gallery.STORY if c in drawn]
        assert all(link == f"{lang}/{chart_id}.html" for chart_id, link in listed)


def test_a_chart_page_links_each_figure_it_quotes_to_its_row_and_back(built):
    out, manifest = built
    for entry in manifest:
        lang = entry["lang"]
        page = (out / lang / f"{entry['id']}.html").read_text()
        gallery_page = (out / gallery.PAGES[lang]).read_text()
        assert f'<html lang="{lang}">' in page and escape(entry["alt"]) in page and escape(entry["source"]) in page
        for claim_id in entry["claims"]:
            assert f'href="../{gallery.PAGES[lang]}#claim-{claim_id}"' in page
            row = re.search(rf'<tr id="claim-{claim_id}">.*?</tr>', gallery_page).group()
            assert f'href="{lang}/{entry["id"]}.html"' in row
        for name in entry["files"]:
            assert f'href="{Path(name).name}" download' in page
        assert f'href="../notebooks/{gallery.NOTEBOOK_OF[entry["id"]]}.html"' in page
        assert ("(en anglais)" in page) == (lang == "fr")
        assert f'{entry["id"]}.embed.html' in page and (out / lang / f"{entry['id']}.embed.html").exists()


def test_the_phone_layout_is_served_below_the_width_the_web_layout_needs(built):
    """Every chart's phone layout is offered to screens narrower than the web layout needs for its
    12 CSS px type (style.WEB.shown_css_px, plus the page's padding), on the gallery, its page and its
    embed page, and offered for download."""
    out, manifest = built
    assert gallery.PHONE_WIDTH >= style.WEB.shown_css_px
    for entry in manifest:
        lang, stem = entry["lang"], f"{entry['lang']}/{entry['id']}"
        phone = f'<source media="(max-width: {gallery.PHONE_WIDTH}px)" srcset="{entry["id"]}.phone.png">'
        assert phone in (out / f"{stem}.html").read_text() and phone in (out / f"{stem}.embed.html").read_text()
        assert phone.replace('srcset="', f'srcset="{lang}/') in (out / gallery.PAGES[lang]).read_text()
        assert f'href="{entry["id"]}.phone.svg" download' in (out / f"{stem}.html").read_text()


def test_headings_go_down_one_level_at_a_time(built):
    out, _ = built
    for page in _pages(out):
        if page.parent.name == "notebooks" or page.name.endswith(".embed.html"):
            continue
        levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", page.read_text())]
        assert levels[0] == 1 and levels.count(1) == 1, page
        assert all(after - before <= 1 for before, after in zip(levels, levels[1:])), page


def test_every_page_names_the_version_and_links_the_corrections_log(built):
    out, _ = built
    version = project_version()
    for page in _pages(out):
        if page.parent.name == "notebooks" or page.name.endswith(".embed.html"):
            continue
        html = page.read_text()
        lang = re.search(r'<html lang="(\w+)">', html)[1]
        assert re.search(rf'href="(\.\./)?{gallery.CORRECTIONS_PAGES[lang]}"', html), page
        assert version in html and "<footer>" in html, page
    assert "No corrections yet." in (out / "corrections.html").read_text()
    assert "Aucune correction pour l’instant." in (out / "corrections.fr.html").read_text()
    assert 'href="../corrections.html"' in (out / "notebooks" / "00_fact_check.html").read_text()


def test_a_page_dates_the_data_it_draws_from_the_package(built):
    out, manifest = built
    entry = next(e for e in manifest if e["id"] == "x-minors-dsa" and e["lang"] == "fr")
    assert gallery.data_day(entry["resources"]) == "2026-11-29"
    assert "Données telles qu’obtenues le 29\u00a0novembre\u00a02026" in (out / "fr" / "x-minors-dsa.html").read_text()
    day = max(gallery.data_day(e["resources"]) or "" for e in manifest)
    assert f"Data as obtained up to {format_day(day, 'en')}" in (out / "index.html").read_text()


def test_the_corrections_log_as_a_page(tmp_path):
    log = tmp_path / "corrections.yaml"
    log.write_text("- {date: '2026-12-01', what_en: 'A label', what_fr: 'Une étiquette', why_en: 'It was wrong', "
                   "why_fr: 'Elle était fausse'}\n")
    assert [entry["what_en"] for entry in gallery.corrections(log)] == ["A label"]
    html = gallery.corrections_page("fr", log)
    assert "<td>1ᵉʳ\u00a0décembre\u00a02026</td><td>Une étiquette</td><td>Elle était fausse</td>" in html
    assert gallery.corrections() == []  # nothing published has been corrected yet


def test_every_text_and_ground_pair_of_the_style_reaches_aa():
    """Every colour pair the style sheets use, computed (see also the browser's measure below)."""
    pairs = gallery.colour_pairs()
    assert {what for what, _, _ in pairs} >= {"text", "caption", "link", *(f"pill {k}" for k in gallery.PILL_COLOURS)}
    low = [(what, round(contrast_ratio(fg, bg), 2)) for what, fg, bg in pairs if contrast_ratio(fg, bg) < AA_TEXT]
    assert low == []
    used = {colour.upper() for colour in re.findall(r"#[0-9A-Fa-f]{6}", gallery.style() + methodology.STYLE)}
    assert used <= {c.upper() for c in [*methodology.PALETTE.values(), *gallery.PILL_COLOURS.values()]}


def _reader_pages(out: Path) -> list[Path]:
    """The pages a reader lands on: both galleries, the corrections logs and every chart page."""
    return [page for page in _pages(out) if page.parent.name != "notebooks"]


SHOTS = Path("/tmp/site-shots")  # outside the repository: looked at, never committed
# A phone (the narrowest we serve), an iPhone, a tablet and a desktop. axe runs at a desktop's and a
# phone's width; the notebooks' pages (wide code and tables, not a reader's landing) at a desktop's.
WIDTHS = (360, 390, 768, 1280)
AXE_WIDTHS = (390, 1280)


def _served_alike(width: int) -> tuple[int, ...]:
    """The widths served the same images as ``width`` (the phone's below gallery.PHONE_WIDTH, the
    web's above): a page loaded at the first is measured at each by resizing its tab, which lays
    it out again with the images already chosen for it, where loading it again cost as much again."""
    return tuple(other for other in WIDTHS if (other <= gallery.PHONE_WIDTH) == (width <= gallery.PHONE_WIDTH))


# One worker visits every page once for the widths served alike, for each test reading their visits.
AT_EACH_WIDTH = [pytest.param(width, marks=pytest.mark.xdist_group(f"chromium-{_served_alike(width)[0]}"))
                 for width in WIDTHS]
AT_AXE_WIDTHS = [param for param in AT_EACH_WIDTH if param.values[0] in AXE_WIDTHS]


@dataclass
class Visit:
    """What headless Chromium found on one page at one width."""

    errors: list  # console errors and uncaught exceptions
    broken_images: list
    missing_links: list  # links to a file of the site that is not there
    images: int
    scroll_width: int
    colours: set  # (text colour, ground colour) as computed, of every element holding text
    serious: list  # axe-core's serious and critical violations (empty where axe did not run)


_visits: dict[tuple[Path, int], dict[Path, Visit]] = {}

# The computed colour of every element holding text, against the first ground behind it.
_COLOURS = """() => {
    const ground = e => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
                          if (c !== 'rgba(0, 0, 0, 0)') return c; } return 'rgb(255, 255, 255)'; };
    return [...document.querySelectorAll('body *')]
        .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(e => [getComputedStyle(e).color, ground(e)]); }"""


def visits(out: Path, browser, width: int) -> dict[Path, Visit]:
    """Every page of the site at ``width``: each loaded once per worker for the widths served
    alike (:func:`_served_alike`), and measured at each for every check made of it."""
    from axe_playwright_python.sync_playwright import Axe

    if (out, width) in _visits:
        return _visits[out, width]
    widths = _served_alike(width)
    pages = _pages(out) if max(widths) > gallery.PHONE_WIDTH else _reader_pages(out)  # notebooks: a desktop's
    found = {each: {} for each in widths}
    errors = []
    page = browser.new_page(viewport={"width": widths[0], "height": 800})  # one tab: a new one costs more than a page
    if set(widths) & set(AXE_WIDTHS):  # axe-core loaded with each page, compiled once for the tab
        page.add_init_script(Axe().axe_script)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in pages:
        errors.clear()
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        for each in widths:
            page.set_viewport_size({"width": each, "height": 800})
            found[each][path] = _visit(page, path, each, errors)
    page.close()
    for each in widths:
        _visits[out, each] = found[each]
    return found[width]


def _visit(page, path: Path, width: int, errors: list) -> Visit:
    """What the page shows at the tab's present width (the console's errors since it loaded)."""
    links = page.evaluate("[...document.links].map(a => a.href).filter(h => h.startsWith('file:'))")
    serious = []
    if width in AXE_WIDTHS and path.parent.name != "notebooks":
        serious = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
                   for v in page.evaluate("axe.run({resultTypes: ['violations']})")["violations"]
                   if v["impact"] in ("serious", "critical")]
    if width == 360 and path.name in gallery.PAGES.values():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{path.stem}-{width}.png"))
    return Visit(
        list(errors), page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"),
        [h for h in links if not Path(unquote(urlparse(h).path)).exists()], page.evaluate("document.images.length"),
        page.evaluate("document.documentElement.scrollWidth"), {tuple(pair) for pair in page.evaluate(_COLOURS)},
        serious)


@pytest.mark.parametrize("width", AT_EACH_WIDTH)
def test_every_page_in_headless_chromium(built, browser, width):
    """Every page opens from the file system with every image loaded (the layout each width is
    served), every local link resolving and the console clean; each gallery shows its charts."""
    out, manifest = built
    found = visits(out, browser, width)
    assert {path.name: (v.errors, v.broken_images, v.missing_links) for path, v in found.items()} == {
        path.name: ([], [], []) for path in found}
    for name in gallery.PAGES.values():
        assert found[out / name].images == len(manifest) // 2
    assert len(found) > 40


@pytest.mark.parametrize("width", AT_EACH_WIDTH)
def test_no_page_scrolls_sideways(built, browser, width):
    out, _ = built
    wide = {path.relative_to(out).as_posix(): visit.scroll_width
            for path, visit in visits(out, browser, width).items()
            if visit.scroll_width > width and path.parent.name != "notebooks"}
    assert wide == {}


def test_the_fact_check_is_cards_on_a_phone_and_a_readable_table_on_a_desktop(built, browser):
    out, _ = built
    for lang, name in gallery.PAGES.items():
        widths = {}
        for width in (360, 1280):
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.goto((out / name).as_uri())
            widths[width] = page.evaluate("""() => {
                const cell = document.querySelector('.fact-check tbody td');
                return [getComputedStyle(cell).display, cell.getBoundingClientRect().width]; }""")
            page.close()
        assert widths[360][0] == "block" and widths[360][1] > 250, (lang, widths)  # a card, full width
        assert widths[1280][0] == "table-cell" and widths[1280][1] > 250, (lang, widths)  # Claim column


def test_print_keeps_headings_with_what_follows(built, browser):
    out, _ = built
    page = browser.new_page()
    page.goto((out / gallery.PAGES["fr"]).as_uri())
    page.emulate_media(media="print")
    after = page.evaluate("[...document.querySelectorAll('h1, h2, h3')].map(h => getComputedStyle(h).breakAfter)")
    rows = page.evaluate("getComputedStyle(document.querySelector('.fact-check tr')).breakInside")
    nav = page.evaluate("getComputedStyle(document.querySelector('.nav')).display")
    page.close()
    assert set(after) == {"avoid"} and rows == "avoid" and nav == "none"


def test_keyboard_focus_is_visible(built, browser):
    out, _ = built
    page = browser.new_page()
    page.goto((out / gallery.PAGES["en"]).as_uri())
    page.keyboard.press("Tab")
    outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }""")
    page.close()
    assert outline[0] == "A" and outline[1] == "solid" and outline[2] >= 2
    assert contrast_ratio(_hex(outline[3]), methodology.PALETTE["ground"]) >= 3  # WCAG 1.4.11


def _hex(css: str) -> str:
    red, green, blue = (int(part) for part in re.findall(r"\d+", css)[:3])
    return f"#{red:02X}{green:02X}{blue:02X}"


@pytest.mark.parametrize("width", AT_EACH_WIDTH)
def test_every_text_as_shown_reaches_aa(built, browser, width):
    """The colours as the browser computes them, for every element holding text on every reader's
    page: its colour against the first ground behind it."""
    out, _ = built
    pairs = set().union(*(visit.colours for path, visit in visits(out, browser, width).items()
                          if path.parent.name != "notebooks"))
    assert len(pairs) >= 5
    low = [(fg, bg) for fg, bg in pairs if contrast_ratio(_hex(fg), _hex(bg)) < AA_TEXT]
    assert low == []


class _FrenchText(HTMLParser):
    """The visible text of a page said to be in French: not what is marked in another language
    (``lang="en"``: a notebook's English title), nor code, nor the article's verbatim quotes."""

    SKIP = {"style", "code", "pre", "title"}
    VOID = {"br", "img", "meta", "source", "link"}

    def __init__(self):
        super().__init__()
        self.stack, self.found = [("fr", False)], []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        lang, skip = self.stack[-1]
        self.stack.append((attrs.get("lang", lang), skip or tag in self.SKIP or attrs.get("class") == "verbatim"))

    def handle_endtag(self, tag):
        if tag not in self.VOID and len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data):
        lang, skip = self.stack[-1]
        if lang == "fr" and not skip and data.strip():
            self.found.append(data)


CLAIM_ID = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b|\b[a-z]+_[a-z_]+\b|data/\S+")  # ids, field and file names
# What a French page keeps as the English wrote it, besides KEPT: the titles of X's report, of a US
# law and of NCMEC's page, and a database keyword quoted as X files it.
KEPT_ON_PAGES = re.compile(r"(?:X )?Global Transparency Report|REPORT Act|Briefly\s?: Reporting by Online Platforms|"
                           r"KEYWORD(?:_[A-Z]+)+|«\s*child sexual abuse material\s*»")


def test_french_pages_are_in_french(built):
    """Issue 25: every reader-facing string of the French gallery, chart pages and corrections log
    is French (names, document titles, addresses, claim ids and code excepted)."""
    out, _ = built
    english = (_english_words() | {"with", "was", "were", "which", "we", "our", "chart", "download", "said",
                                    "claim", "published", "recomputed"}) - {"on"}  # "on" is French too
    pages = [out / gallery.PAGES["fr"], out / gallery.CORRECTIONS_PAGES["fr"], *sorted((out / "fr").glob("*.html"))]
    left = []
    for page in pages:
        parser = _FrenchText()
        parser.feed(page.read_text(encoding="utf-8"))
        for text in parser.found:
            kept = CLAIM_ID.sub("", KEPT.sub("", KEPT_ON_PAGES.sub("", text)))
            found = set(re.findall(r"[^\W\d_]{2,}", kept.lower())) & english
            if found:
                left.append(f"{page.name}: {text.strip()[:80]!r} ({', '.join(sorted(found))})")
    assert len(pages) > 10 and left == []


def test_every_note_and_source_of_the_ledger_has_its_french():
    from analysis import claims

    ledger = claims.load()
    known = {claim.id for claim in ledger}
    for claim in ledger:
        assert claim.note_in("fr")[1] == "fr", claim.id
        named = set(CLAIM_ID.findall(claim.note)) & known
        assert named == set(CLAIM_ID.findall(claim.note_fr)) & known, claim.id  # the same claims named: links kept


@pytest.mark.parametrize("width", AT_AXE_WIDTHS)
def test_axe_finds_nothing_serious_on_any_readers_page(built, browser, width):
    """axe-core (shipped inside axe-playwright-python: nothing fetched) on both galleries, the
    corrections logs and every chart and embed page, at a desktop's and a phone's width."""
    out, _ = built
    found = {path.relative_to(out).as_posix(): visit.serious for path, visit in visits(out, browser, width).items()
             if visit.serious}
    assert found == {}
    assert len([path for path in visits(out, browser, width) if path.parent.name != "notebooks"]) > 40


def test_the_link_to_the_other_language_is_named_in_that_language(built):
    """From an English page, "Version française" leads to the French one; from a French page,
    "English version" to the English one (galleries, chart pages and corrections pages)."""
    out, _ = built
    label = {"fr": "Version française", "en": "English version"}
    for page in _pages(out):
        if page.parent.name == "notebooks" or page.name.endswith(".embed.html"):
            continue
        links = re.findall(r'<a href="([^"]+)" hreflang="(en|fr)" lang="\2">([^<]+)</a>', page.read_text())
        assert links, page
        for _, lang, text in links:
            assert text == label[lang], (page, lang, text)
