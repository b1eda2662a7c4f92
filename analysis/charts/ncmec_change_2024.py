"""NCMEC's fall in 2024, company by company: Meta's reports fell, the other platforms' rose."""

from __future__ import annotations

from analysis import claims, evidence
from analysis.charts import provenance, style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.formatting import NBSP, format_number, format_percent
from analysis.series import ncmec_companies, ncmec_context

OLD, NEW = ncmec_context.OLD_YEAR, ncmec_context.NEW_YEAR
CLAMP = 150.0  # percent: a bar beyond it (a company from almost nothing) is cut, its label says how far
NAMES = {"en": {"X Corp.": "X", "Alphabet": "Alphabet (Google)", "TikTok (ByteDance)": "TikTok",
                ncmec_context.ALL: "All platforms", ncmec_context.OTHERS: "All platforms but Meta"},
         "fr": {"X Corp.": "X", "Alphabet": "Alphabet (Google)", "TikTok (ByteDance)": "TikTok",
                ncmec_context.ALL: "Toutes les plateformes", ncmec_context.OTHERS: "Toutes sauf Meta"}}
CLAIMS = {"others": "non-meta-reports-2024-vs-2023", "meta": "meta-reports-2024-vs-2023",
          "incidents": provenance.BUNDLING_CLAIM, "non_meta_share": "x-share-of-non-meta-reports-2024",
          "share": "x-share-of-provider-reports-2024", "share_before": "x-share-of-provider-reports-2023"}
SOURCE = provenance.MARK_SOURCE


def load() -> dict:
    years = ncmec_companies.company_years()
    years = years[years["year"].isin([OLD, NEW])]
    # The companies of at least 1 % of either year's provider reports: the transcription's smaller
    # providers, a bar each, would not fit; the notes say how many are left out.
    every = ncmec_context.company_changes()
    drawn = ncmec_context.company_changes(min_share_pct=ncmec_companies.LARGE_PROVIDER_PCT)
    return {"changes": drawn, "left_out": int((every["group"] == "company").sum() - (drawn["group"] == "company").sum()),
            # what each year's rows rest on: the source line, the hatching's note and the count of companies say it
            "statuses": {int(year): evidence.weakest(*rows["evidence"]) for year, rows in years.groupby("year")},
            **{key: claims.claim(i) for key, i in CLAIMS.items()}}


def marks_of(data: dict, lang: str):
    return marks([{"series": row.group, "category": NAMES[lang].get(row.company, row.company),
                   "value": row.change_pct,
                   "label": format_percent(row.change_pct, lang, decimals=0 if abs(row.change_pct) >= 1000 else 1),
                   "evidence": row.evidence, "source": f"{SOURCE[evidence.PRIMARY]} {OLD}; {SOURCE[row.evidence]} {NEW}"}
                  for row in data["changes"].itertuples()])


def _cut(data: dict, drawn, lang: str) -> list[tuple[str, str, str, str]]:
    """Each bar cut at the clamp: its name, its drawn label, and the counts of both years (the
    change alone would not say from how much)."""
    rows = data["changes"][(drawn["value"] > CLAMP).to_numpy()]
    return [(mark.category, mark.label, format_number(row.old, lang), format_number(row.new, lang))
            for mark, row in zip(drawn[drawn["value"] > CLAMP].itertuples(), rows.itertuples())]


def _incidents(claim, lang: str) -> str:
    """NBC's figure for NCMEC's year, called what it counts: incidents, not the table's reports
    (the ledger's note on :data:`provenance.BUNDLING_CLAIM`)."""
    millions = format_number(claim.published / 1e6, lang, 1)
    if lang == "fr":
        return (f"Les « environ {millions}{NBSP}millions » {claims.TRANSLATION_MARK_FR} de {claim.period} cités par "
                "NBC News comptent des incidents, avant regroupement, et non les signalements du tableau.")
    return (f"NBC News’s “about {millions} million” for {claim.period} counts incidents, before bundling, not the "
            "table’s reports.")


def texts(data: dict, drawn, lang: str) -> Texts:
    others, meta = data["others"].published_text(lang), data["meta"].published_text(lang)
    rise = format_percent(data["others"].published, lang, data["others"].decimals, signed=False)
    share, before = data["share"].published_text(lang), data["share_before"].published_text(lang)
    non_meta = data["non_meta_share"].published_text(lang)
    companies = len(drawn[drawn["series"].isin(["company", "meta"])])
    listed = provenance.companies_listed(companies + data["left_out"], data["statuses"], lang)
    context = " ".join(part for part in (provenance.transcription_note(data["statuses"], lang),
                                         provenance.bundling_note(data["incidents"], OLD, NEW, lang),
                                         _incidents(data["incidents"], lang)) if part)
    smallest = format_percent(ncmec_companies.LARGE_PROVIDER_PCT, lang, decimals=0, signed=False)
    if lang == "fr":
        return Texts(
            title=f"La chute de {NEW} au NCMEC, c'est Meta{NBSP}: hors Meta, les signalements progressent de {rise}",
            subtitle=f"Évolution des signalements envoyés à la CyberTipline du NCMEC, {OLD} → {NEW}, "
                     f"par groupe (les {companies} plus grands des {listed})",
            notes=f"X pèse {share} des signalements des plateformes en {NEW} ({before} en {OLD}), mais "
                  f"{non_meta} de ceux des plateformes autres que Meta. {context}"
                  + f" Groupes d'au moins {smallest} des signalements des plateformes l'une des deux années"
                  f"{NBSP}; {data['left_out']} plus petits ne sont pas dessinés."
                  + "".join(f" Barre coupée{NBSP}: {name} ({label}{NBSP}: {before_n} → {after_n})."
                            for name, label, before_n, after_n in _cut(data, drawn, lang)),
            source=provenance.ncmec_source(data["statuses"], lang),
            alt=f"Barres horizontales de l'évolution des signalements au NCMEC de {OLD} à {NEW}{NBSP}: "
                f"Meta {meta}, toutes les autres plateformes {others}.")
    return Texts(
        title=f"NCMEC's {NEW} fall is Meta's: the other platforms' reports rose {rise}",
        subtitle=f"Change in reports sent to NCMEC's CyberTipline, {OLD} → {NEW}, by company (the {companies} "
                 f"largest of {listed})",
        notes=f"X sent {share} of the platforms' reports in {NEW} ({before} in {OLD}) but {non_meta} of those "
              f"of platforms other than Meta. {context}"
              + f" Companies of at least {smallest} of the platforms' reports in either year; {data['left_out']} "
              "smaller ones are not drawn."
              + "".join(f" Bar cut: {name} ({label}: {before_n} → {after_n})."
                        for name, label, before_n, after_n in _cut(data, drawn, lang)),
        source=provenance.ncmec_source(data["statuses"], lang),
        alt=f"Horizontal bars of the change in reports to NCMEC from {OLD} to {NEW}: Meta {meta}, "
            f"all other platforms {others}.")


def draw(ax, drawn, data: dict, lang: str) -> None:
    rows = drawn.iloc[::-1]  # first row at the top; the index is each row's place in the marks
    positions = [i + (0.6 if row.series in ("company", "meta") else 0) for i, row in enumerate(rows.itertuples())]
    style.name_bars(ax, positions, list(rows["category"]),
                    [row.series in ("others", "total", "meta") for row in rows.itertuples()], style.pt(12))
    for y, row in zip(positions, rows.itertuples()):
        width = max(min(row.value, CLAMP), -100)
        # X and Meta in their colours; every other company and the groups in the context grey
        who = "Meta" if row.series == "meta" else row.category
        ax.barh(y, width, height=style.bar_height(0.66), **style.mark_style(style.colour_of(who), row.evidence, row.Index))
        ax.annotate(row.label + (" →" if row.value > CLAMP else ""), (width, y),
                    xytext=(style.pt(4) if width >= 0 else -style.pt(4), 0), textcoords="offset points",
                    va="center", ha="left" if width >= 0 else "right", fontsize=style.pt(11.5),
                    fontweight="bold" if row.series != "company" or row.category == "X" else "normal")
    ax.axvline(0, color=style.INK, linewidth=style.pt(0.8))
    ax.set_xticks([])
    ax.spines[["bottom", "left"]].set_visible(False)
    if style.on_phone():  # room for the labels either side, in points: the bars take what is left
        label = max(len(text) for text in rows["label"]) * style.pt(11.5) * 0.62 + style.pt(16)
        width = ax.get_position().width * ax.figure.get_figwidth() * 72
        per_point = (100 + CLAMP) / (width - 2 * label)
        ax.set_xlim(-100 - label * per_point, CLAMP + label * per_point)
    else:
        ax.set_xlim(-100 - 30, CLAMP + 60)


CHART = Chart("ncmec-change-2024", load, marks_of, texts, draw)
