"""The readers' gallery: ``figures/index.html`` in English and ``figures/index.fr.html`` in
French. Each page shows every chart in its language with its alt text, source line and downloads
(the images, the print PDF and the data drawn, as CSV), the methodology notebooks rendered as
pages (:mod:`analysis.methodology`), then the fact-check table. Static pages that work when
opened from the file system: relative links, no script, no server.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from analysis import claims, evidence, methodology, verify
from analysis.files import write_text
from analysis.formatting import house_typography

# A status pill's background, by what it says: verified, matched on a weaker grade, contradicted,
# or not checkable. Each takes white text at 4.5:1 or more (WCAG AA).
PILL_COLOURS = {"verified": "#005A8C", "matches": "#3F5566", evidence.CONTRADICTED: "#A33B00",
                evidence.CANNOT_BE_CHECKED: "#595959", evidence.REPORTED_ONLY: "#765300"}
PAGES = {"en": "index.html", "fr": "index.fr.html"}

WORDS = {
    "en": {
        "title": "X, Grok and child safety — charts and fact-check",
        "heading": "X, Grok and child safety: the charts and the fact-check",
        "intro": "Every chart with its alt text and source, and the data it draws as a CSV file (one "
                 "row per mark, with the status, evidence and source of each value). The figures in the fact-check "
                 "below are recomputed from the data by <code>python -m analysis verify</code>, and the charts "
                 "draw the same series. Each status says what the figure rests on: “verified” only where it "
                 "matches a primary document (NCMEC’s or X’s own); otherwise it matches a third-party "
                 "transcription or third-party statistics, is arithmetic on reported figures, is "
                 "contradicted, cannot be checked with public data, or is reported only.",
        "other": "Version française",
        "downloads": "Download",
        "data": "data (CSV)",
        "methodology": "Methodology: the notebooks",
        "methodology_intro": "How each number is derived, step by step, as executed for this build.",
        "no_notebooks": "The notebooks have not been rendered in this build (<code>make figures</code> renders them).",
        "fact_check": "Fact-check of the article's figures",
        "columns": ("Claim", "Published", "Recomputed", "Status", "Said by", "Note"),
        "source": "source",
    },
    "fr": {
        "title": "X, Grok et la protection de l'enfance — graphiques et vérification",
        "heading": "X, Grok et la protection de l'enfance : les graphiques et la vérification des chiffres",
        "intro": "Chaque graphique avec son texte alternatif et sa source, et les données qu'il dessine "
                 "en CSV (une ligne par élément dessiné, avec le statut, le fondement et la source de chaque "
                 "valeur). Les chiffres de la vérification ci-dessous sont recalculés à partir des données par "
                 "<code>python -m analysis verify</code>, et les graphiques dessinent les mêmes séries. Chaque "
                 "statut dit sur quoi repose le chiffre : « vérifié » seulement s'il concorde avec un document "
                 "d'origine (du NCMEC ou de X) ; sinon il concorde avec une transcription ou des statistiques "
                 "d'un tiers, est un calcul sur des chiffres rapportés, est contredit, est invérifiable avec les "
                 "données publiques, ou est seulement rapporté.",
        "other": "English version",
        "downloads": "Télécharger",
        "data": "données (CSV)",
        "methodology": "Méthode : les carnets de calcul",
        "methodology_intro": "Comment chaque chiffre est obtenu, pas à pas, tel qu'exécuté pour cette "
                             "version (en anglais).",
        "no_notebooks": "Les carnets n'ont pas été produits pour cette version (<code>make figures</code> "
                        "les produit).",
        "fact_check": "Vérification des chiffres de l'article",
        "columns": ("Affirmation", "Publié", "Recalculé", "Statut", "Source", "Note (en anglais)"),
        "source": "source",
    },
}

STYLE = """\
h1 { font-size: 1.8rem; } h2 { margin-top: 2.5rem; border-top: 1px solid #ddd; padding-top: 1rem; }
figure { margin: 0; } img { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .9rem; color: #444; } .alt { margin: .4rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e5e5e5; vertical-align: top; }
.status { color: white; padding: .1rem .4rem; border-radius: .3rem; white-space: nowrap; }
"""
BODY = """\
<p><a href="{other_page}" hreflang="{other_lang}">{other}</a></p>
<h1>{heading}</h1>
<p>{intro}</p>
{charts}
<h2 id="methodology">{methodology}</h2>
{notebooks}
<h2 id="fact-check">{fact_check}</h2>
<table>
<thead><tr>{columns}</tr></thead>
<tbody>
{rows}
</tbody>
</table>"""


def _text(text: str, lang: str) -> str:
    """Our own words on the page, in the house typography, escaped."""
    return escape(house_typography(text, lang))


def _figure(entry: dict, words: dict) -> str:
    files = {Path(name).suffix.lstrip("."): name for name in entry["files"]}
    labels = {"png": "PNG", "svg": "SVG", "pdf": "PDF", "csv": words["data"]}
    links = " · ".join(f'<a href="{escape(files[fmt])}" download>{escape(label)}</a>'
                       for fmt, label in labels.items() if fmt in files)
    return (f'<h2 id="{escape(entry["id"])}">{escape(entry["title"])}</h2>\n<figure>\n'
            f'<img src="{escape(files["png"])}" alt="{escape(entry["alt"])}" width="1200" height="675">\n'
            f'<figcaption><p class="alt">{escape(entry["alt"])}</p><p>{escape(entry["source"])}</p>'
            f'<p>{_text(words["downloads"] + " :", entry["lang"])} {links}</p>'
            f'</figcaption>\n</figure>')


def _claim_names(ids: list[str]) -> re.Pattern:
    """Any of these claim ids, whole (the longest first: one id may begin another)."""
    return re.compile("(?<![\\w-])(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + ")(?![\\w-])")


def _linked(note: str, named: re.Pattern) -> str:
    """The note as HTML, each claim it names a link to that claim's row."""
    return named.sub(lambda found: f'<a href="#claim-{found[1]}">{found[1]}</a>', escape(note))


def _row(result: verify.Result, lang: str, words: dict, named: re.Pattern) -> str:
    c = result.claim
    colour = PILL_COLOURS["verified" if result.verified else result.verdict]
    sentence = escape(c.sentence(lang))
    if lang == "fr" and c.kind == "article":  # the article's own words, as printed
        sentence = f'<span class="verbatim">{sentence}</span>'
    return (f'<tr id="claim-{escape(c.id)}"><td>{sentence}</td>'
            f'<td>{escape(c.published_text(lang))}</td><td>{escape(result.computed_text(lang))}</td>'
            f'<td><span class="status" style="background:{colour}">{escape(result.status(lang))}'
            f'</span></td><td><span lang="en">{escape(c.said_by)}</span><br>{_source(c.source_url, lang, words)}</td>'
            f'<td lang="en">{_linked(c.note, named)}</td></tr>')


def _source(url: str | None, lang: str, words: dict) -> str:
    """A link to the claim's document, or the words saying its address was not recorded (never a
    link to a home page in its place)."""
    if url is None:
        return _text(f"{words['source']} : {claims.source_text(None, lang)}", lang)
    return f'<a href="{escape(url)}">{words["source"]}</a>'


def _notebooks(out_dir: Path, lang: str, words: dict) -> str:
    found = methodology.pages(out_dir)
    if not found:
        return f"<p>{house_typography(words['no_notebooks'], lang)}</p>"
    items = "\n".join(f'<li lang="en"><a href="{escape(link)}" hreflang="en">{_text(title, "en")}</a></li>'
                      for link, title in found)
    return f"<p>{_text(words['methodology_intro'], lang)}</p>\n<ul>\n{items}\n</ul>"


def page(manifest: list[dict], results: list[verify.Result], out_dir: Path, lang: str) -> str:
    """The gallery page in ``lang``."""
    words = WORDS[lang]
    other = "fr" if lang == "en" else "en"
    named = _claim_names([result.claim.id for result in results])
    return methodology.html_page(_text(words["title"], lang), BODY.format(
        heading=_text(words["heading"], lang),
        intro=house_typography(words["intro"], lang), other=escape(words["other"]),
        other_page=PAGES[other], other_lang=other,
        charts="\n".join(_figure(entry, words) for entry in manifest if entry["lang"] == lang),
        methodology=_text(words["methodology"], lang), notebooks=_notebooks(out_dir, lang, words),
        fact_check=_text(words["fact_check"], lang),
        columns="".join(f"<th>{_text(column, lang)}</th>" for column in words["columns"]),
        rows="\n".join(_row(r, lang, words, named) for r in results)), lang, STYLE)


def write(manifest: list[dict], results: list[verify.Result], out_dir: Path) -> list[Path]:
    """Write the gallery in each language into ``out_dir``; return the pages."""
    written = []
    for lang, name in PAGES.items():
        path = Path(out_dir) / name
        write_text(path, page(manifest, results, out_dir, lang))
        written.append(path)
    return written
