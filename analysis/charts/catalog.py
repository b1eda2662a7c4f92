"""Every publication chart, declared once: its data, its texts in French and English, its drawing.

A chart's numbers come from the data or the claims ledger, formatted by :mod:`analysis.formatting`;
no figure is typed here. Texts that are sentences are written once per language.

>>> sorted(CHARTS)[:2]
['france-reports-drop', 'grok-app-store-top5']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import matplotlib.dates as mdates
from matplotlib.patches import FancyBboxPatch, Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis import changes, claims, datapackage, paths, rankings
from analysis.dsa import query as dsa_query
from analysis.errors import DataError
from analysis.charts import style
from analysis.charts.style import Texts
from analysis.formatting import format_number, format_percent
from analysis.sources import ncmec, x

NBSP = "\u00a0"


@dataclass(frozen=True)
class Chart:
    id: str
    resources: tuple[str, ...]  # data-package resources the chart reads
    claims: tuple[str, ...]  # ledger ids whose numbers it quotes
    load: Callable[[], dict]
    texts: Callable[[dict, str], Texts]
    draw: Callable[[object, dict, str], None]
    available: Callable[[], bool] = lambda: True  # False: no data yet, the build skips the chart
    resource_kinds: tuple[str, ...] = ()  # and every resource of these kinds (snapshots that accrue)
    other_inputs: Callable[[], list[str]] = list  # inputs outside the data package, for the fingerprint

    def resource_names(self) -> list[str]:
        """The resources the chart reads, including those of its ``resource_kinds`` right now."""
        accrued = [entry["name"] for entry in datapackage.resources()
                   if entry.get("kind") in self.resource_kinds] if self.resource_kinds else []
        return [*self.resources, *accrued]


def _colon(lang: str) -> str:
    return f"{NBSP}:" if lang == "fr" else ":"


# --- X's reports to NCMEC by year ---------------------------------------------------------------

def _reports_load() -> dict:
    years = ncmec.company_reports("X Corp.")
    years = years[years["status"] != ncmec.UNVERIFIED_STATUS]
    rows = ncmec.provider_reports_all_years().merge(
        ncmec.provider_companies(), left_on="provider", right_on="provider_label")
    rows = rows[(rows["company"] == "X Corp.") & rows["year"].isin(years["year"])]
    return {"years": years, "rows": rows, "change": claims.claim("x-ncmec-reports-2024-vs-2023")}


def _reports_texts(data: dict, lang: str) -> Texts:
    years = data["years"].set_index("year")["reports"]
    first, last = int(years.index.min()), int(years.index.max())
    peak_year = int(years.idxmax())
    change = data["change"].published_text(lang)
    n = {year: format_number(int(value), lang) for year, value in years.items()}
    if lang == "fr":
        return Texts(
            title=f"Les signalements de X au NCMEC ont bondi en {peak_year}, puis reculé",
            subtitle=f"Signalements envoyés par X (Twitter) à la CyberTipline du NCMEC, par an. "
                     f"{last} par rapport à {peak_year}{NBSP}: {change}",
            notes=f"{peak_year}{NBSP}: le NCMEC liste X sur deux lignes, additionnées ici. Barre "
                  f"hachurée{NBSP}: chiffre {last} transcrit par un tiers du rapport du NCMEC.",
            source=f"Source{NBSP}: NCMEC, CyberTipline Reports by ESP {first}–{last - 1}{NBSP}; "
                   f"{last}{NBSP}: transcription de R. Grimm (diaphanous)",
            alt=f"Histogramme des signalements annuels de X au NCMEC de {first} à {last}{NBSP}: "
                f"{n[first]} en {first}, {n[peak_year]} en {peak_year}, {n[last]} en {last} ({change}).")
    return Texts(
        title=f"X's reports to NCMEC jumped in {peak_year}, then fell back",
        subtitle=f"Reports sent by X (Twitter) to NCMEC's CyberTipline, per year. "
                 f"{last} against {peak_year}: {change}",
        notes=f"{peak_year}: NCMEC lists X in two rows, added up here. Hatched bar: {last} figure "
              f"transcribed by a third party from NCMEC's report.",
        source=f"Source: NCMEC, CyberTipline Reports by ESP {first}–{last - 1}; {last}: transcription "
               f"by R. Grimm (diaphanous)",
        alt=f"Bar chart of X's yearly reports to NCMEC from {first} to {last}: {n[first]} in {first}, "
            f"{n[peak_year]} in {peak_year} and {n[last]} in {last} ({change}).")


def _reports_draw(ax, data: dict, lang: str) -> None:
    years = data["years"]
    rows = data["rows"].sort_values(["year", "reports"], ascending=[True, False])
    for year, group in rows.groupby("year"):
        status = years.loc[years["year"] == year, "status"].item()
        bottom = 0
        for i, (_, row) in enumerate(group.iterrows()):
            ax.bar(year, row["reports"], bottom=bottom, width=0.66,
                   color=style.ACCENT if i == 0 else "#F0A877",
                   hatch="//" if status != ncmec.PDF_STATUS else None, edgecolor="white", linewidth=0)
            if len(group) > 1:  # name NCMEC's rows on the left, where the short bars leave room
                ax.text(year - 0.4, bottom + row["reports"] / 2,
                        f"{row['provider']}\n{format_number(row['reports'], lang)}", fontsize=10.5,
                        va="center", ha="right", color=style.SUBTLE)
            bottom += row["reports"]
        ax.text(year, bottom, format_number(bottom, lang), ha="center", va="bottom", fontsize=12,
                fontweight="bold", color=style.INK)
    ax.set_xticks(years["year"], [str(year) for year in years["year"]])
    ax.set_yticks([])
    ax.spines[["left"]].set_visible(False)
    ax.set_xlim(years["year"].min() - 0.6, years["year"].max() + 0.6)
    ax.margins(y=0.12)


# --- Shares of provider reports, 2024 ------------------------------------------------------------

SHARE_YEAR = 2024
SHARE_COMPANIES = 8


def _shares_load() -> dict:
    companies = ncmec.company_reports()
    year = companies[companies["year"] == SHARE_YEAR].nlargest(SHARE_COMPANIES, "share_pct")
    before = companies[companies["year"] == SHARE_YEAR - 1].set_index("company")["share_pct"]
    return {"year": year.assign(before=year["company"].map(before)),
            "claim": claims.claim("x-share-of-provider-reports-2024")}


_COMPANY_FR = {"X Corp.": "X", "Alphabet": "Alphabet (Google)", "TikTok (ByteDance)": "TikTok (ByteDance)"}
_COMPANY_EN = {"X Corp.": "X", "Alphabet": "Alphabet (Google)"}


def _company(name: str, lang: str) -> str:
    return (_COMPANY_FR if lang == "fr" else _COMPANY_EN).get(name, name)


def _shares_texts(data: dict, lang: str) -> Texts:
    table = data["year"].set_index("company")
    meta = format_percent(table.loc["Meta", "share_pct"], lang, signed=False)
    mine = data["claim"].published_text(lang)
    total = format_number(int(table["provider_total"].iloc[0]), lang)
    if lang == "fr":
        return Texts(
            title=f"X pèse {mine} des signalements des plateformes au NCMEC",
            subtitle=f"Part de chaque groupe dans les {total} signalements envoyés par les "
                     f"plateformes en {SHARE_YEAR} (barres) et en {SHARE_YEAR - 1} (points)",
            notes=f"Meta additionne Facebook, Instagram et WhatsApp ({meta}). {SHARE_YEAR}{NBSP}: "
                  f"chiffres transcrits par un tiers du rapport du NCMEC.",
            source=f"Source{NBSP}: NCMEC, CyberTipline Reports by ESP {SHARE_YEAR - 1}{NBSP}; "
                   f"{SHARE_YEAR}{NBSP}: transcription de R. Grimm (diaphanous)",
            alt=f"Barres horizontales des parts des grands groupes dans les signalements de {SHARE_YEAR} "
                f"au NCMEC{NBSP}: Meta {meta}, X {mine}.")
    return Texts(
        title=f"X sends {mine} of platforms' reports to NCMEC",
        subtitle=f"Each company's share of the {total} reports platforms sent in {SHARE_YEAR} "
                 f"(bars) and in {SHARE_YEAR - 1} (dots)",
        notes=f"Meta adds up Facebook, Instagram and WhatsApp ({meta}). {SHARE_YEAR}: figures "
              f"transcribed by a third party from NCMEC's report.",
        source=f"Source: NCMEC, CyberTipline Reports by ESP {SHARE_YEAR - 1}; {SHARE_YEAR}: "
               f"transcription by R. Grimm (diaphanous)",
        alt=f"Horizontal bars of large companies' shares of {SHARE_YEAR} reports to NCMEC: Meta "
            f"{meta}, X {mine}.")


def _shares_draw(ax, data: dict, lang: str) -> None:
    box = ax.get_position()  # room on the left for company names
    ax.set_position((box.x0 + 0.12, box.y0, box.width - 0.12, box.height))
    table = data["year"].sort_values("share_pct")
    positions = list(range(len(table)))
    colours = [style.ACCENT if c == "X Corp." else style.OTHER for c in table["company"]]
    ax.barh(positions, table["share_pct"], color=colours, height=0.62)
    ax.scatter(table["before"], positions, color=style.INK, s=24, zorder=3)
    top = positions[-1]
    ax.annotate(str(SHARE_YEAR - 1), (table["before"].iloc[-1], top), xytext=(0, 12),
                textcoords="offset points", ha="center", fontsize=10.5, color=style.INK)
    for y, (company, value) in enumerate(zip(table["company"], table["share_pct"])):
        ax.text(value + 0.8, y, format_percent(value, lang, signed=False), va="center",
                fontsize=11.5, fontweight="bold" if company == "X Corp." else "normal")
    ax.set_yticks(positions, [_company(c, lang) for c in table["company"]])
    ax.set_xticks([])
    ax.spines[["bottom", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0, labelsize=12, labelcolor=style.INK)
    ax.set_xlim(0, table[["share_pct", "before"]].max().max() * 1.08)


# --- X Safety's 2024 figures in context ----------------------------------------------------------

def _safety_load() -> dict:
    ids = ("x-ncmec-reports-2024", "x-accounts-suspended-2024", "ncmec-arrests-2024",
           "ncmec-convictions-2024")
    statuses = {c.id: claims.evaluate(c).status for c in claims.load() if c.id in ids}
    statement = x.safety_statement_2025().set_index("measure")
    return {"statement": statement, "statuses": statuses}


_SAFETY_TILES = (  # (measure, claim id, {lang: (label for one, label for several)})
    ("reports_to_ncmec", "x-ncmec-reports-2024",
     {"fr": ("signalement au NCMEC", "signalements au NCMEC"), "en": ("report to NCMEC", "reports to NCMEC")}),
    ("accounts_suspended", "x-accounts-suspended-2024",
     {"fr": ("compte suspendu", "comptes suspendus"), "en": ("account suspended", "accounts suspended")}),
    ("arrests", "ncmec-arrests-2024", {"fr": ("arrestation", "arrestations"), "en": ("arrest", "arrests")}),
    ("convictions", "ncmec-convictions-2024",
     {"fr": ("condamnation", "condamnations"), "en": ("conviction", "convictions")}),
)
_MONTH_NAMES = {"fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                       "septembre", "octobre", "novembre", "décembre"],
                "en": ["January", "February", "March", "April", "May", "June", "July", "August",
                       "September", "October", "November", "December"]}


def _month(year_month: str, lang: str) -> str:
    """ "2025-06" → "juin 2025" / "June 2025" (with a no-break space)."""
    year, month = (int(part) for part in year_month.split("-"))
    return f"{_MONTH_NAMES[lang][month - 1]}{NBSP}{year}"


_MONTHS = {"fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juill.", "août", "sept.",
                  "oct.", "nov.", "déc."],
           "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]}


def _period(start: pd.Timestamp, end: pd.Timestamp, lang: str) -> str:
    if start.month == 1 and end.month == 12 and start.year == end.year:
        return str(start.year)
    months = _MONTHS[lang]
    return f"{months[start.month - 1]}–{months[end.month - 1]} {end.year}"


def _safety_texts(data: dict, lang: str) -> Texts:
    s = data["statement"]
    said_on = s["said_on"].iloc[0]
    reports = format_number(int(s.loc["reports_to_ncmec", "value"]), lang)
    if lang == "fr":
        return Texts(
            title="Les chiffres de X pour 2024, dont un seul vérifiable",
            subtitle=f"Chiffres publiés par X Safety le {said_on.day} juin {said_on.year}, "
                     "repris par Next.ink",
            notes=f"Le NCMEC attribue aussi {reports} signalements à X en 2024 (transcription tierce "
                  "de son rapport). Les suspensions, arrestations et condamnations ne sont publiées "
                  "que par X.",
            source=f"Source{NBSP}: X Safety (@Safety), cité par Next.ink{NBSP}; NCMEC",
            alt=f"Quatre chiffres de X pour 2024{NBSP}: {reports} signalements au NCMEC (confirmé par "
                "le NCMEC), et des suspensions, arrestations et condamnations que seul X rapporte.")
    return Texts(
        title="X's figures for 2024, and the one we can check",
        subtitle=f"Figures posted by X Safety on {said_on.day} June {said_on.year}, as quoted by Next.ink",
        notes=f"NCMEC also credits X with {reports} reports in 2024 (third-party transcription of its "
              "report). Suspensions, arrests and convictions are published by X alone.",
        source="Source: X Safety (@Safety), quoted by Next.ink; NCMEC",
        alt=f"Four figures X gave for 2024: {reports} reports to NCMEC (matching NCMEC's count), and "
            "suspensions, arrests and convictions that only X reports.")


def _safety_draw(ax, data: dict, lang: str) -> None:
    s, statuses = data["statement"], data["statuses"]
    ax.set_axis_off()
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 1)
    for i, (measure, claim_id, labels) in enumerate(_SAFETY_TILES):
        row = s.loc[measure]
        verified = statuses[claim_id] == "verified"
        ax.add_patch(FancyBboxPatch(
            (i + 0.06, 0.05), 0.88, 0.9, boxstyle="round,pad=0,rounding_size=0.04",
            facecolor="#f6f6f6", edgecolor="none"))
        ax.text(i + 0.5, 0.66, format_number(int(row["value"]), lang), ha="center", va="center",
                fontsize=27, fontweight="bold", color=style.ACCENT)
        one, several = labels[lang]
        ax.text(i + 0.5, 0.46, one if row["value"] == 1 else several, ha="center", va="center", fontsize=14)
        ax.text(i + 0.5, 0.34, _period(row["period_start"], row["period_end"], lang), ha="center",
                va="center", fontsize=12, color=style.SUBTLE)
        badge = ({"fr": "confirmé par le NCMEC", "en": "matches NCMEC"} if verified else
                 {"fr": "rapporté par X seul", "en": "reported by X only"})[lang]
        ax.text(i + 0.5, 0.15, badge, ha="center", va="center", fontsize=11, fontweight="bold",
                color="white", bbox={"boxstyle": "round,pad=0.35", "edgecolor": "none",
                                     "facecolor": style.OTHER if verified else style.REPORTED})


# --- France: the reported −81.4 % ----------------------------------------------------------------

def _france_load() -> dict:
    claim = claims.claim("x-france-reports-drop")
    return {"claim": claim, "index": [100.0, changes.apply_change(100, claim.published)]}


def _france_texts(data: dict, lang: str) -> Texts:
    claim = data["claim"]
    change = claim.published_text(lang)
    start, end = _month(claim.period_start, lang), _month(claim.period_end, lang)
    after = format_number(data["index"][1], lang, 1)
    if lang == "fr":
        return Texts(
            title=f"Signalements de X concernant la France{NBSP}: {change} de {start} à {end}, "
                  "selon le parquet",
            subtitle=f"Signalements adressés par X au NCMEC concernant la France, indice {start} = 100",
            notes=f"Chiffre rapporté par le parquet de Paris (via Le Monde), invérifiable avec des "
                  f"données publiques{NBSP}: le NCMEC ne publie pas de chiffres par plateforme et par "
                  "pays, ni par mois.",
            source=f"Source{NBSP}: parquet de Paris, cité par Le Monde et Next.ink",
            alt=f"Deux barres{NBSP}: indice 100 en {start}, {after} en {end}, soit {change} selon le "
                "parquet de Paris (non vérifiable).")
    return Texts(
        title=f"X's reports concerning France: {change} from {start} to {end}, prosecutors say",
        subtitle=f"Reports sent by X to NCMEC concerning France, index {start} = 100",
        notes="Figure reported by the Paris prosecutor (via Le Monde); public data cannot check it: "
              "NCMEC publishes no figures by platform and country, nor by month.",
        source="Source: Paris prosecutor, quoted by Le Monde and Next.ink",
        alt=f"Two bars: index 100 in {start} and {after} in {end}, a change of {change} according "
            "to the Paris prosecutor (not verifiable).")


def _france_draw(ax, data: dict, lang: str) -> None:
    claim = data["claim"]
    labels = [_month(claim.period_start, lang), _month(claim.period_end, lang)]
    ax.bar([0, 1], data["index"], color=[style.MUTED, style.REPORTED], width=0.55)
    for i, value in enumerate(data["index"]):
        ax.text(i, value + 2, format_number(value, lang, 1 if i else 0), ha="center", va="bottom",
                fontsize=16, fontweight="bold")
    ax.annotate(data["claim"].published_text(lang), xy=(1, data["index"][1] + 14), xytext=(0.5, 88),
                ha="center", fontsize=18, fontweight="bold", color=style.ACCENT,
                arrowprops={"arrowstyle": "->", "color": style.ACCENT, "lw": 2})
    ax.set_xticks([0, 1], labels)
    ax.set_yticks([])
    ax.set_ylim(0, 118)
    ax.set_xlim(-0.7, 2.4)
    ax.spines[["left"]].set_visible(False)
    style.reported_badge(ax, {"fr": "rapporté par le parquet de Paris",
                              "en": "reported by the Paris prosecutor"}[lang])


# --- Grok in the App Store top 5 -----------------------------------------------------------------

def _top5_load() -> dict:
    return {"chart": rankings.reported_top_chart().sort_values("rank")}


def _top5_texts(data: dict, lang: str) -> Texts:
    chart = data["chart"]
    grok = int(chart.loc[chart["name"] == "Grok", "rank"].item())
    names = ", ".join(f"{r} {n}" for r, n in zip(chart["rank"], chart["name"]))
    month = _month(chart["period"].iloc[0], lang)
    if lang == "fr":
        return Texts(
            title=f"Grok, {grok}ᵉ application gratuite de l’App Store en {month}",
            subtitle="Classement des applications gratuites de l’App Store d’Apple, tel que montré "
                     "par le Washington Post (date et pays non précisés)",
            notes="Capture d’écran publiée par le Washington Post, reprise par Next.ink. Apple ne "
                  "publie pas d’historique de ses classements.",
            source=f"Source{NBSP}: Apple App Store, capture du Washington Post",
            alt=f"Classement des cinq premières applications gratuites de l’App Store en {month} "
                f"selon le Washington Post{NBSP}: {names}.")
    return Texts(
        title=f"Grok was the App Store's no. {grok} free app in {month}",
        subtitle="Apple App Store top free apps, as shown by The Washington Post (day and "
                 "storefront not stated)",
        notes="Screenshot published by The Washington Post, relayed by Next.ink. Apple publishes "
              "no history of its charts.",
        source="Source: Apple App Store, screenshot by The Washington Post",
        alt=f"The five top free apps of the App Store in {month} according to The Washington "
            f"Post: {names}.")


def _top5_draw(ax, data: dict, lang: str) -> None:
    chart = data["chart"]
    ax.set_axis_off()
    n = len(chart)
    ax.set_ylim(n + 0.5, 0.3)
    ax.set_xlim(0, 10)
    for rank, name in zip(chart["rank"], chart["name"]):
        mine = name == "Grok"
        ax.add_patch(Rectangle(
            (0.2, rank - 0.42), 6.2, 0.84, facecolor=style.ACCENT if mine else "#f0f0f0",
            edgecolor="none"))
        colour = "white" if mine else style.INK
        ax.text(0.55, rank, str(rank), va="center", ha="center", fontsize=20, fontweight="bold", color=colour)
        ax.text(1.1, rank, name, va="center", fontsize=18, fontweight="bold" if mine else "normal",
                color=colour)
    style.reported_badge(ax, {"fr": "rapporté par le Washington Post",
                              "en": "reported by The Washington Post"}[lang], x=0.64)


# --- Rank history, once our collector has snapshots ----------------------------------------------

HISTORY_COUNTRY = "us"


def _history_load() -> dict:
    return {"ranks": rankings.compare(country=HISTORY_COUNTRY)}


def _history_available() -> bool:
    return len(rankings.compare(country=HISTORY_COUNTRY)) >= 2


def _history_texts(data: dict, lang: str) -> Texts:
    ranks = data["ranks"]
    first, last = ranks.index.min().date(), ranks.index.max().date()
    grok = ranks["Grok"].dropna()
    best = "—" if grok.empty else str(int(grok.min()))
    storefront = HISTORY_COUNTRY.upper()
    if lang == "fr":
        return Texts(
            title="Grok face à ChatGPT et Gemini dans le classement de l’App Store",
            subtitle=f"Rang quotidien parmi les applications gratuites, App Store {storefront}, "
                     f"du {first:%d/%m/%Y} au {last:%d/%m/%Y}",
            notes="Relevés de la cellule data (un par jour au plus). Absent du graphique : hors "
                  "classement ce jour-là.",
            source=f"Source{NBSP}: Apple, flux RSS Marketing Tools, relevés de la cellule data",
            alt=f"Courbes du rang quotidien de Grok, ChatGPT et Gemini sur l’App Store {storefront}"
                f"{NBSP}; meilleur rang de Grok{NBSP}: {best}.")
    return Texts(
        title="Grok against ChatGPT and Gemini in the App Store chart",
        subtitle=f"Daily rank among free apps, {storefront} App Store, {first:%d %b %Y} to {last:%d %b %Y}",
        notes="Snapshots collected by the data desk (at most one a day). A gap: not charted that day.",
        source="Source: Apple Marketing Tools RSS feed, data desk snapshots",
        alt=f"Lines of the daily rank of Grok, ChatGPT and Gemini in the {storefront} App Store; "
            f"Grok's best rank: {best}.")


def _day(day, lang: str) -> str:
    month = _MONTHS[lang][day.month - 1]
    return f"{day.day} {month}" if lang == "fr" else f"{month} {day.day}"


def _history_draw(ax, data: dict, lang: str) -> None:
    ranks = data["ranks"]
    colours = {"Grok": style.ACCENT, "ChatGPT": style.OTHER, "Gemini": style.PALETTE[1]}
    for app in ranks.columns:
        series = ranks[app].astype(float)
        ax.plot(series.index, series, color=colours.get(app, style.MUTED), lw=2.5, marker="o", ms=3)
        last = series.dropna()
        if not last.empty:
            ax.annotate(app, (last.index[-1], last.iloc[-1]), xytext=(6, 0), textcoords="offset points",
                        va="center", fontsize=12, fontweight="bold", color=colours.get(app, style.MUTED))
    ax.invert_yaxis()
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("rang" if lang == "fr" else "rank")
    ax.grid(axis="y", color=style.GRID)
    ax.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, len(ranks) // 7)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: _day(mdates.num2date(value), lang)))
    ax.set_xlim(right=ax.get_xlim()[1] + (ax.get_xlim()[1] - ax.get_xlim()[0]) * 0.1)  # room for names


# --- X's statements of reasons on minors (EU DSA Transparency Database) --------------------------

def _dsa_available() -> bool:
    days = dsa_query.ingested_days(paths.DSA)
    return len(days) > 0 and not days["synthetic"].any()


def _dsa_inputs() -> list[str]:
    return sorted(p.read_text() for p in paths.DSA.glob("date=*/_ingest.json")) if paths.DSA.exists() else []


def _dsa_load() -> dict:
    days = dsa_query.ingested_days(paths.DSA)
    if days["synthetic"].any():  # never publish synthetic statements, whatever the caller did
        raise DataError("synthetic days in the DSA data: not drawing", path=paths.DSA)
    return {"months": dsa_query.query_duckdb(paths.DSA, by="month"),
            "france": dsa_query.query_duckdb(paths.DSA, by="month", territory="FR"), "days": days}


def _dsa_texts(data: dict, lang: str) -> Texts:
    months = data["months"]
    first, last = months["period"].min(), months["period"].max()
    total = format_number(int(months["statements"].sum()), lang)
    if lang == "fr":
        return Texts(
            title="Les décisions de X pour protection des mineurs dans l’UE, mois par mois",
            subtitle=f"Déclarations de motifs déposées par X, catégorie «{NBSP}protection des mineurs{NBSP}», "
                     f"{first} à {last} (barres{NBSP}: toute l’UE{NBSP}; points{NBSP}: portée incluant la France)",
            notes=f"Une déclaration de motifs n’est pas un signalement au NCMEC{NBSP}: c’est ce que X "
                  f"dépose quand il restreint un contenu dans l’UE. Jours ingérés{NBSP}: {len(data['days'])}.",
            source=f"Source{NBSP}: Commission européenne, DSA Transparency Database",
            alt=f"Barres mensuelles des déclarations de motifs de X pour protection des mineurs, "
                f"{first} à {last}, {total} au total.")
    return Texts(
        title="X's decisions to protect minors in the EU, month by month",
        subtitle=f"Statements of reasons filed by X, category protection of minors, {first} to {last} "
                 "(bars: whole EU; dots: scope including France)",
        notes="A statement of reasons is not an NCMEC report: it is what X files when it restricts "
              f"content in the EU. Days ingested: {len(data['days'])}.",
        source="Source: European Commission, DSA Transparency Database",
        alt=f"Monthly bars of X's statements of reasons for protection of minors, {first} to {last}, "
            f"{total} in all.")


def _dsa_draw(ax, data: dict, lang: str) -> None:
    months = data["months"].groupby("period")["statements"].sum()
    france = data["france"].groupby("period")["statements"].sum().reindex(months.index)
    positions = range(len(months))
    ax.bar(positions, months.to_numpy(), color=style.ACCENT, width=0.7)
    ax.scatter(positions, france.to_numpy(dtype=float), color=style.INK, zorder=3, s=30)
    for x, value in zip(positions, months):
        ax.text(x, value, format_number(int(value), lang), ha="center", va="bottom", fontsize=10.5)
    ax.set_xticks(list(positions), list(months.index))
    ax.set_yticks([])
    ax.spines[["left"]].set_visible(False)


CHARTS: dict[str, Chart] = {chart.id: chart for chart in (
    Chart("x-reports-to-ncmec", ("ncmec-by-esp-2019", "ncmec-by-esp-2020", "ncmec-by-esp-2021",
                                 "ncmec-by-esp-2022", "ncmec-by-esp-2023",
                                 "ncmec-esp-2024-2025-transcription", "ncmec-provider-companies"),
          ("x-ncmec-reports-2023", "x-ncmec-reports-2024", "x-ncmec-reports-2024-vs-2023"),
          _reports_load, _reports_texts, _reports_draw),
    Chart("provider-shares-2024", ("ncmec-by-esp-2023", "ncmec-esp-2024-2025-transcription",
                                   "ncmec-provider-companies"),
          ("x-share-of-provider-reports-2024",), _shares_load, _shares_texts, _shares_draw),
    Chart("x-safety-2024", ("x-safety-statement-2025-06-18", "ncmec-esp-2024-2025-transcription"),
          ("x-ncmec-reports-2024", "x-accounts-suspended-2024", "ncmec-arrests-2024",
           "ncmec-convictions-2024"), _safety_load, _safety_texts, _safety_draw),
    Chart("france-reports-drop", ("nextink-article-claims",), ("x-france-reports-drop",),
          _france_load, _france_texts, _france_draw),
    Chart("grok-app-store-top5", ("wapo-app-store-top5-2026-01",), ("grok-app-store-top5",),
          _top5_load, _top5_texts, _top5_draw),
    Chart("grok-rank-history", (), (), _history_load, _history_texts, _history_draw,
          available=_history_available, resource_kinds=(rankings.SNAPSHOT_KIND,)),
    Chart("x-minors-dsa", (), (), _dsa_load, _dsa_texts, _dsa_draw, available=_dsa_available,
          other_inputs=_dsa_inputs),
)}
