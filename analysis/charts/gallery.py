"""The readers' site: the gallery (``figures/index.html`` in English, ``figures/index.fr.html`` in
French), a page per chart (``figures/<lang>/<id>.html``) with a minimal page to embed it
(``<id>.embed.html``), and the corrections log (``corrections.html``, ``corrections.fr.html``).

The gallery shows every chart in its language in the story's order (:data:`STORY`), each linking
its page, the methodology notebooks rendered as pages (:mod:`analysis.methodology`), then the
fact-check table (cards on a phone), each claim linking back to the charts that quote it. A chart's
page shows the chart (its phone layout where one was drawn), its alt text, source, the date its
data were obtained, the claims it quotes with their status (each one click from its row of the
fact-check), its notebook, downloads, an embed snippet and a link to share. Every page names the
project's version, links the corrections log and says how to reach us.

Static pages that work when opened from the file system: relative links, no script, no server, and
nothing that varies between two builds of the same inputs (no clock, no commit).
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from analysis import claims, datapackage, evidence, methodology, paths, safeyaml, verify
from analysis.charts import style
from analysis.files import write_text
from analysis.formatting import format_day, house_typography
from analysis.version import project_version

PALETTE = methodology.PALETTE
# A status pill's background, by what it says: verified, matched on a weaker grade, contradicted,
# or not checkable. Each takes white text (PALETTE["pill_text"]) at 4.5:1 or more (tested).
PILL_COLOURS = {"verified": "#005A8C", "matches": "#3F5566", evidence.CONTRADICTED: "#A33B00",
                evidence.CANNOT_BE_CHECKED: "#595959", evidence.REPORTED_ONLY: "#6B4C00"}
PAGES = {"en": "index.html", "fr": "index.fr.html"}
CORRECTIONS_PAGES = {"en": "corrections.html", "fr": "corrections.fr.html"}
# CSS px: at or under it a chart's phone layout is shown. The web layout's smallest type is 12 CSS px
# only when it is shown at least style.WEB.shown_css_px wide, so narrower pages (the page's padding
# and the image's border included) get the phone layout.
PHONE_WIDTH = style.WEB.shown_css_px + 40

# The charts in the order the story tells them (the one list of it), each with the notebook that
# derives its numbers.
STORY = (
    ("france-reports-drop", "00_fact_check"),
    ("x-safety-2024", "01_x_reports_to_ncmec"),
    ("x-reports-to-ncmec", "01_x_reports_to_ncmec"),
    ("x-reports-per-suspension", "04_context"),
    ("x-france-referrals-2024", "04_context"),
    ("france-ncmec-reports", "04_context"),
    ("x-share-of-reports", "04_context"),
    ("ncmec-change-2024", "04_context"),
    ("provider-shares-2024", "04_context"),
    ("x-minors-dsa", "03_dsa_minors_x"),
    ("grok-app-store-top5", "02_grok_downloads_and_rankings"),
    ("grok-rank-history", "02_grok_downloads_and_rankings"),
)
NOTEBOOK_OF = dict(STORY)

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
        "article": "The story starts from Next.ink’s article of 5 February 2026, « Elon Musk avait personnellement "
                   "supervisé la dérive sexuelle de Grok », by Jean-Marc Manach (its address is not recorded in our data).",
        "other": "Version française",
        "charts": "The charts, in the story’s order",
        "chart_page": "Chart page: figures quoted, notebook, embed",
        "downloads": "Download",
        "data": "data (CSV)",
        "phone": "phone",
        "methodology": "Methodology: the notebooks",
        "methodology_intro": "How each number is derived, step by step, as executed for this build.",
        "no_notebooks": "The notebooks have not been rendered in this build (<code>make figures</code> renders them).",
        "fact_check": "Fact-check of the article's figures",
        "columns": ("Claim", "Published", "Recomputed", "Status", "Said by", "Note"),
        "quoted_by": "Drawn in",
        "source": "source",
        "data_date": "Data as obtained on {day}, the latest of its sources",
        "site_date": "Data as obtained up to {day}",
        "version": "project version {version}",
        "corrections": "Corrections",
        "contact": "To report an error or ask about a figure, write to the data desk; corrections are logged.",
        "back": "← All charts and the fact-check",
        "description": "What the chart shows",
        "quotes": "The figures it quotes",
        "quotes_intro": "Each figure links to its row of the fact-check.",
        "no_quotes": "This chart quotes no figure of the fact-check.",
        "published": "published",
        "recomputed": "recomputed",
        "files": "Data and downloads",
        "how": "How it is computed",
        "notebook": "The notebook",
        "quote_marks": ("“", "”"),
        "notebook_lang": "",
        "embed": "Embed and share",
        "embed_intro": "To embed this chart, paste this code, with the address where this site is served in front "
                       "of the file name; the frame fills the width of its column, and the chart shows its phone "
                       "layout in a narrow frame.",
        "share": "Link to share",
        "share_intro": "This page:",
        "no_corrections": "No corrections yet.",
        "corrections_intro": "What we changed after publishing it, when and why.",
        "corrections_columns": ("Date", "What changed", "Why"),
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
        "article": "L'enquête part de l'article de Next.ink du 5 février 2026, « Elon Musk avait personnellement "
                   "supervisé la dérive sexuelle de Grok », de Jean-Marc Manach (son adresse n'est pas relevée "
                   "dans nos données).",
        "other": "English version",
        "charts": "Les graphiques, dans l'ordre de l'enquête",
        "chart_page": "Page du graphique : chiffres cités, carnet, intégration",
        "downloads": "Télécharger",
        "data": "données (CSV)",
        "phone": "téléphone",
        "methodology": "Méthode : les carnets de calcul",
        "methodology_intro": "Comment chaque chiffre est obtenu, pas à pas, tel qu'exécuté pour cette "
                             "version (en anglais).",
        "no_notebooks": "Les carnets n'ont pas été produits pour cette version (<code>make figures</code> "
                        "les produit).",
        "fact_check": "Vérification des chiffres de l'article",
        "columns": ("Affirmation", "Publié", "Recalculé", "Statut", "Source", "Note"),
        "quoted_by": "Dessiné dans",
        "source": "source",
        "data_date": "Données telles qu'obtenues le {day}, date de la plus récente de ses sources",
        "site_date": "Données telles qu'obtenues jusqu'au {day}",
        "version": "version du projet {version}",
        "corrections": "Corrections",
        "contact": "Pour signaler une erreur ou poser une question sur un chiffre, écrivez à la cellule data ; "
                   "les corrections sont consignées.",
        "back": "← Tous les graphiques et la vérification",
        "description": "Ce que montre le graphique",
        "quotes": "Les chiffres qu'il cite",
        "quotes_intro": "Chaque chiffre renvoie à sa ligne de la vérification.",
        "no_quotes": "Ce graphique ne cite aucun chiffre de la vérification.",
        "published": "publié",
        "recomputed": "recalculé",
        "files": "Données et téléchargements",
        "how": "Comment il est calculé",
        "notebook": "Le carnet",
        "quote_marks": ("«\u00a0", "\u00a0»"),
        "notebook_lang": " (en anglais)",
        "embed": "Intégrer et partager",
        "embed_intro": "Pour intégrer ce graphique, collez ce code, en plaçant devant le nom du fichier l'adresse où "
                       "ce site est publié ; le cadre occupe la largeur de sa colonne, et le graphique montre sa "
                       "version pour téléphone dans un cadre étroit.",
        "share": "Lien à partager",
        "share_intro": "Cette page :",
        "no_corrections": "Aucune correction pour l'instant.",
        "corrections_intro": "Ce que nous avons changé après publication, quand et pourquoi.",
        "corrections_columns": ("Date", "Ce qui a changé", "Pourquoi"),
    },
}
# A download's label by the file's kind (what follows "<id>." in its name), in the order offered.
DOWNLOADS = {"png": "PNG", "svg": "SVG", "phone.png": "PNG ({phone})", "phone.svg": "SVG ({phone})",
             "pdf": "PDF", "csv": "{data}"}

STYLE = """\
h1 {{ font-size: 1.8rem; }} h2 {{ margin-top: 2.5rem; border-top: 1px solid {rule}; padding-top: 1rem; }}
figure {{ margin: 0; break-inside: avoid; }} img {{ max-width: 100%; height: auto; border: 1px solid {rule}; }}
figcaption, .aside {{ font-size: .9rem; color: {muted}; }} .alt {{ margin: .4rem 0; }}
code, pre {{ font-family: "DejaVu Sans Mono", monospace; font-size: .85rem; }}
pre {{ background: {code}; padding: .5rem; white-space: pre-wrap; overflow-wrap: anywhere; }}
table {{ border-collapse: collapse; width: 100%; font-size: .88rem; }}
th, td {{ text-align: left; padding: .35rem .5rem; border-bottom: 1px solid {rule}; vertical-align: top;
          overflow-wrap: anywhere; }}
.fact-check {{ table-layout: fixed; }} .fact-check tr {{ break-inside: avoid; }}
.fact-check th:nth-child(1) {{ width: 27%; }} .fact-check th:nth-child(2), .fact-check th:nth-child(3) {{ width: 9%; }}
.fact-check th:nth-child(4) {{ width: 13%; }} .fact-check th:nth-child(5) {{ width: 16%; }}
.fact-check th:nth-child(6) {{ width: 26%; }}
.status {{ display: inline-block; color: {pill_text}; padding: .1rem .4rem; border-radius: .3rem; }}
{pills}
footer {{ margin-top: 3rem; border-top: 1px solid {rule}; padding-top: 1rem; font-size: .9rem; color: {muted}; }}
@media (max-width: 700px) {{
  body {{ margin: 1rem auto; }} h1 {{ font-size: 1.4rem; }}
  .fact-check thead {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }}
  .fact-check, .fact-check tbody, .fact-check tr, .fact-check td {{ display: block; width: auto; }}
  .fact-check tr {{ border: 1px solid {rule}; border-radius: .4rem; margin: 0 0 1rem; padding: .5rem .7rem; }}
  .fact-check td {{ border: 0; padding: .15rem 0; }}
  .fact-check td::before {{ content: attr(data-label); display: block; font-weight: bold; font-size: .8rem; }}
}}
@media print {{ body {{ max-width: none; }} footer {{ break-inside: avoid; }} }}
"""


def style() -> str:
    """The pages' style sheet, in the house palette."""
    pills = "\n".join(f".status-{name} {{ background: {colour}; }}" for name, colour in PILL_COLOURS.items())
    return STYLE.format(pills=pills, **PALETTE)


def colour_pairs() -> list[tuple[str, str, str]]:
    """Every text and ground pair the pages use, as ``(what, foreground, background)``, for the
    contrast test: body text, captions, links and the code's ground, each status pill."""
    ground = PALETTE["ground"]
    pairs = [("text", PALETTE["text"], ground), ("caption", PALETTE["muted"], ground),
             ("link", PALETTE["link"], ground), ("code", PALETTE["text"], PALETTE["code"])]
    return pairs + [(f"pill {name}", PALETTE["pill_text"], colour) for name, colour in PILL_COLOURS.items()]


def _text(text: str, lang: str) -> str:
    """Our own words on the page, in the house typography, escaped."""
    return escape(house_typography(text, lang))


def _other(lang: str) -> str:
    return "fr" if lang == "en" else "en"


def in_story_order(manifest: list[dict], lang: str) -> list[dict]:
    """The charts of ``lang`` in the story's order (:data:`STORY`; any other last, by id)."""
    order = [chart_id for chart_id, _ in STORY]
    mine = [entry for entry in manifest if entry["lang"] == lang]
    return sorted(mine, key=lambda e: (order.index(e["id"]) if e["id"] in order else len(order), e["id"]))


def _files(entry: dict) -> dict[str, str]:
    """A chart's files by kind (``png``, ``phone.png``, ``csv``…), as paths from the site's root."""
    stem = f"{entry['lang']}/{entry['id']}."
    return {name[len(stem):]: name for name in entry["files"] if name.startswith(stem)}


def _picture(entry: dict, here: str = "") -> str:
    """The chart as a ``<picture>``: its phone layout on a narrow screen where one was drawn.
    ``here`` is the folder the page is in ("" for the site's root, "en/" inside a language's)."""
    def link(name: str) -> str:
        return escape(name.removeprefix(here))

    files = _files(entry)
    return (f'<picture><source media="(max-width: {PHONE_WIDTH}px)" srcset="{link(files["phone.png"])}">'
            f'<img src="{link(files["png"])}" alt="{escape(entry["alt"])}" '
            f'width="1200" height="675"></picture>')


def _downloads(entry: dict, words: dict, here: str = "") -> str:
    files = _files(entry)
    links = " · ".join(f'<a href="{escape(files[kind].removeprefix(here))}" download>'
                       f'{_text(label.format(**words), entry["lang"])}</a>'
                       for kind, label in DOWNLOADS.items() if kind in files)
    return f'{_text(words["downloads"] + " :", entry["lang"])} {links}'


def data_day(resources: list[str]) -> str | None:
    """The day the latest of these data-package resources was obtained (``accessed``), or None
    for a chart that reads none (it draws the ledger's figures only)."""
    days = [datapackage.resource(name).get("accessed") for name in resources]
    return max(filter(None, days), default=None)


def _footer(lang: str, day: str | None, here: str = "") -> str:
    words = WORDS[lang]
    parts = [words["site_date" if not here else "data_date"].format(day=format_day(day, lang))] if day else []
    parts.append(words["version"].format(version=project_version()))
    up = "../" if here else ""
    return (f'<footer>\n<p>{_text(" · ".join(parts), lang)} · '
            f'<a href="{up}{CORRECTIONS_PAGES[lang]}">{_text(words["corrections"], lang)}</a></p>\n'
            f'<p>{_text(words["contact"], lang)}</p>\n</footer>')


def _figure(entry: dict, out_dir: Path, words: dict) -> str:
    page = f'{entry["lang"]}/{entry["id"]}.html'
    return (f'<h3 id="{escape(entry["id"])}"><a href="{escape(page)}">{escape(entry["title"])}</a></h3>\n<figure>\n'
            f'{_picture(entry)}\n'
            f'<figcaption><p class="alt">{escape(entry["alt"])}</p><p>{escape(entry["source"])}</p>'
            f'<p>{_downloads(entry, words)}</p>'
            f'<p><a href="{escape(page)}">{_text(words["chart_page"], entry["lang"])}</a></p>'
            f'</figcaption>\n</figure>')


def _claim_names(ids: list[str]) -> re.Pattern:
    """Any of these claim ids, whole (the longest first: one id may begin another)."""
    return re.compile("(?<![\\w-])(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + ")(?![\\w-])")


def _linked(note: str, named: re.Pattern) -> str:
    """The note as HTML, each claim it names a link to that claim's row."""
    return named.sub(lambda found: f'<a href="#claim-{found[1]}">{found[1]}</a>', escape(note))


def _pill(result: verify.Result, lang: str) -> str:
    kind = "verified" if result.verified else result.verdict
    return f'<span class="status status-{kind}">{_text(result.status(lang), lang)}</span>'


def _quoted_by(claim_id: str, charts: list[dict], lang: str) -> str:
    """Links to the charts of the page's language that draw this claim."""
    drawn = [entry for entry in charts if claim_id in entry.get("claims", ())]
    if not drawn:
        return ""
    links = ", ".join(f'<a href="{escape(entry["lang"])}/{escape(entry["id"])}.html">{escape(entry["title"])}</a>'
                      for entry in drawn)
    return f'<br><span class="aside">{_text(WORDS[lang]["quoted_by"] + " :", lang)} {links}</span>'


def _row(result: verify.Result, lang: str, words: dict, named: re.Pattern, charts: list[dict]) -> str:
    c = result.claim
    sentence = escape(c.sentence(lang))
    if lang == "fr" and c.kind == "article":  # the article's own words, as printed
        sentence = f'<span class="verbatim">{sentence}</span>'
    label = [f' data-label="{_text(column, lang)}"' for column in words["columns"]]
    note_lang = "" if c.note_in(lang)[1] == lang else ' lang="en"'
    said_by, said_by_lang = c.said_by_in(lang)
    said_by_attr = "" if said_by_lang == lang else ' lang="en"'
    return (f'<tr id="claim-{escape(c.id)}"><td{label[0]}>{sentence}{_quoted_by(c.id, charts, lang)}</td>'
            f'<td{label[1]}>{escape(c.published_text(lang))}</td><td{label[2]}>{escape(result.computed_text(lang))}</td>'
            f'<td{label[3]}>{_pill(result, lang)}</td>'
            f'<td{label[4]}><span{said_by_attr}>{escape(said_by)}</span><br>'
            f'{_source(c.source_url, lang, words)}</td>'
            f'<td{label[5]}{note_lang}>{_linked(c.note_in(lang)[0], named)}</td></tr>')


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


GALLERY = """\
<nav class="nav"><a href="{other_page}" hreflang="{other_lang}" lang="{other_lang}">{other}</a></nav>
<main>
<h1>{heading}</h1>
<p>{intro}</p>
<p>{article}</p>
<h2 id="charts">{charts_heading}</h2>
{charts}
<h2 id="methodology">{methodology}</h2>
{notebooks}
<h2 id="fact-check">{fact_check}</h2>
<table class="fact-check">
<thead><tr>{columns}</tr></thead>
<tbody>
{rows}
</tbody>
</table>
</main>
{footer}"""


def page(manifest: list[dict], results: list[verify.Result], out_dir: Path, lang: str) -> str:
    """The gallery page in ``lang``."""
    words = WORDS[lang]
    other = _other(lang)
    named = _claim_names([result.claim.id for result in results])
    charts = in_story_order(manifest, lang)
    day = max(filter(None, (data_day(entry.get("resources", [])) for entry in charts)), default=None)
    return methodology.html_page(_text(words["title"], lang), GALLERY.format(
        heading=_text(words["heading"], lang),
        intro=house_typography(words["intro"], lang), article=_text(words["article"], lang),
        other=escape(words["other"]), other_page=PAGES[other], other_lang=other,
        charts_heading=_text(words["charts"], lang),
        charts="\n".join(_figure(entry, out_dir, words) for entry in charts),
        methodology=_text(words["methodology"], lang), notebooks=_notebooks(out_dir, lang, words),
        fact_check=_text(words["fact_check"], lang),
        columns="".join(f'<th scope="col">{_text(column, lang)}</th>' for column in words["columns"]),
        rows="\n".join(_row(r, lang, words, named, charts) for r in results),
        footer=_footer(lang, day)), lang, style())


CHART_PAGE = """\
<nav class="nav"><a href="../{gallery}">{back}</a> · <a href="{other_page}" hreflang="{other_lang}" lang="{other_lang}">{other}</a></nav>
<main>
<h1>{title}</h1>
<figure>
{picture}
<figcaption><p>{source}</p></figcaption>
</figure>
<h2>{description_heading}</h2>
<p>{alt}</p>
<h2>{quotes_heading}</h2>
{quotes}
<h2>{files_heading}</h2>
<p>{downloads}</p>
<h2>{how_heading}</h2>
<p>{notebook}</p>
<h2>{embed_heading}</h2>
<p>{embed_intro}</p>
<pre><code>{snippet}</code></pre>
<p>{share_intro} <a href="{page}">{page}</a></p>
</main>
{footer}"""

EMBED_PAGE = """\
<main>
<h1><a href="{page}" target="_blank" rel="noopener">{title}</a></h1>
<figure>
{picture}
<figcaption>{source}</figcaption>
</figure>
</main>"""
# The chart fits whatever frame it is given: as wide as the frame, never taller than it.
EMBED_STYLE = """\
body { margin: 0; max-width: none; padding: 0; } figure { margin: 0; }
img { display: block; margin: 0 auto; max-width: 100%; max-height: calc(100vh - 5rem); width: auto; height: auto; }
h1, figcaption { font-size: .8rem; margin: 0; padding: .2rem .3rem; }
"""


def _quotes(entry: dict, results: dict[str, verify.Result], lang: str) -> str:
    """The claims a chart quotes, each figure a link to its row of the gallery's fact-check."""
    words = WORDS[lang]
    quoted = [results[claim_id] for claim_id in entry.get("claims", ()) if claim_id in results]
    if not quoted:
        return f"<p>{_text(words['no_quotes'], lang)}</p>"
    items = []
    for result in quoted:
        c = result.claim
        sentence = escape(c.sentence(lang))
        if lang == "fr" and c.kind == "article":
            sentence = f'<span class="verbatim">{sentence}</span>'
        figures = (f'{_text(words["published"] + " :", lang)} {escape(c.published_text(lang))}, '
                   f'{_text(words["recomputed"] + " :", lang)} {escape(result.computed_text(lang))}')
        items.append(f'<li><a href="../{PAGES[lang]}#claim-{escape(c.id)}">{figures}</a> {_pill(result, lang)}'
                     f'<br>{sentence}</li>')
    return f"<p>{_text(words['quotes_intro'], lang)}</p>\n<ul>\n" + "\n".join(items) + "\n</ul>"


def _notebook_link(entry: dict, out_dir: Path, lang: str) -> str:
    words = WORDS[lang]
    stem = NOTEBOOK_OF.get(entry["id"])
    found = dict(methodology.pages(out_dir))
    link = f"{methodology.FOLDER}/{stem}.html"
    if stem is None or link not in found:
        return house_typography(words["no_notebooks"], lang)
    opening, closing = words["quote_marks"]
    return (f'<a href="../{escape(link)}" hreflang="en">{_text(words["notebook"], lang)} {opening}'
            f'<span lang="en">{_text(found[link], "en")}</span>{closing}</a>{_text(words["notebook_lang"], lang)}')


def chart_page(entry: dict, results: dict[str, verify.Result], out_dir: Path) -> str:
    """A chart's own page, ``<lang>/<id>.html``."""
    lang = entry["lang"]
    words = WORDS[lang]
    other = _other(lang)
    here = f"{lang}/"
    name = f"{entry['id']}.html"
    snippet = (f'<iframe src="{entry["id"]}.embed.html" title="{escape(entry["title"], quote=True)}" '
               f'style="width:100%;aspect-ratio:16/10;border:0" loading="lazy"></iframe>')
    return methodology.html_page(escape(entry["title"]), CHART_PAGE.format(
        gallery=PAGES[lang], back=_text(words["back"], lang), other=escape(words["other"]),
        other_page=f"../{other}/{name}", other_lang=other, title=escape(entry["title"]),
        picture=_picture(entry, here), source=escape(entry["source"]),
        description_heading=_text(words["description"], lang), alt=escape(entry["alt"]),
        quotes_heading=_text(words["quotes"], lang), quotes=_quotes(entry, results, lang),
        files_heading=_text(words["files"], lang), downloads=_downloads(entry, words, here),
        how_heading=_text(words["how"], lang), notebook=_notebook_link(entry, out_dir, lang),
        embed_heading=_text(words["embed"], lang), embed_intro=_text(words["embed_intro"], lang),
        snippet=escape(snippet), share_intro=_text(words["share_intro"], lang), page=escape(name),
        footer=_footer(lang, data_day(entry.get("resources", [])), here)), lang, style())


def embed_page(entry: dict, out_dir: Path) -> str:
    """The chart alone, to be framed in another site's page: it fills the frame's width."""
    here = f"{entry['lang']}/"
    return methodology.html_page(escape(entry["title"]), EMBED_PAGE.format(
        picture=_picture(entry, here), page=f"{escape(entry['id'])}.html", title=escape(entry["title"]),
        source=escape(entry["source"])), entry["lang"], EMBED_STYLE)


def corrections(path: Path = paths.CORRECTIONS) -> list[dict]:
    """The corrections log, newest first: date, what changed and why, in both languages."""
    entries = safeyaml.load(Path(path).read_text(encoding="utf-8")) or []
    return sorted(entries, key=lambda entry: str(entry["date"]), reverse=True)


def corrections_page(lang: str, path: Path = paths.CORRECTIONS) -> str:
    words = WORDS[lang]
    other = _other(lang)
    logged = corrections(path)
    if logged:
        rows = "\n".join(f'<tr><td>{escape(format_day(str(entry["date"]), lang))}</td>'
                         f'<td>{_text(entry[f"what_{lang}"], lang)}</td><td>{_text(entry[f"why_{lang}"], lang)}</td></tr>'
                         for entry in logged)
        columns = "".join(f'<th scope="col">{_text(column, lang)}</th>' for column in words["corrections_columns"])
        body = f"<table>\n<thead><tr>{columns}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"
    else:
        body = f"<p>{_text(words['no_corrections'], lang)}</p>"
    return methodology.html_page(_text(words["corrections"], lang), (
        f'<nav class="nav"><a href="{PAGES[lang]}">{_text(words["back"], lang)}</a> · '
        f'<a href="{CORRECTIONS_PAGES[other]}" hreflang="{other}" lang="{other}">{escape(words["other"])}</a></nav>\n'
        f'<main>\n<h1>{_text(words["corrections"], lang)}</h1>\n<p>{_text(words["corrections_intro"], lang)}</p>\n'
        f'{body}\n</main>\n{_footer(lang, None)}'), lang, style())


def write(manifest: list[dict], results: list[verify.Result], out_dir: Path) -> list[Path]:
    """Write the site into ``out_dir``: the gallery and the corrections log in each language, each
    chart's page and embed page; return the pages written."""
    out_dir = Path(out_dir)
    by_id = {result.claim.id: result for result in results}
    pages = {name: page(manifest, results, out_dir, lang) for lang, name in PAGES.items()}
    pages.update({name: corrections_page(lang) for lang, name in CORRECTIONS_PAGES.items()})
    for entry in manifest:
        stem = f"{entry['lang']}/{entry['id']}"
        pages[f"{stem}.html"] = chart_page(entry, by_id, out_dir)
        pages[f"{stem}.embed.html"] = embed_page(entry, out_dir)
    for name, html in pages.items():
        write_text(out_dir / name, html)
    return [out_dir / name for name in pages]
