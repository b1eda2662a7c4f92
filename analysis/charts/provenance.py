"""Source lines that say where each year's NCMEC figures come from, from the evidence of the data.

A year parsed from NCMEC's PDF and a year known only from a third party's transcription are
credited differently; which is which is read from the series' ``evidence`` column, never typed, so
registering NCMEC's PDF of a year changes the words with the numbers. The same words serve every
chart that draws NCMEC's figures: the source line, what the hatching of a transcribed value means,
which table a count of companies is a count of, and NCMEC's 2024 bundling as the ledger has it.

>>> ncmec_source({2023: "primary", 2024: "transcription"}, "en")
'Source: NCMEC, CyberTipline Reports by ESP 2023; 2024: transcription by R. Grimm (diaphanous)'
>>> ncmec_source({2022: "primary", 2023: "primary"}, "fr")
'Source\\xa0: NCMEC, CyberTipline Reports by ESP 2022–2023'
"""

from __future__ import annotations

from analysis import evidence
from analysis.formatting import NBSP, format_number

# Each NCMEC value's source in a chart's marks (the readers' CSV), by what it rests on.
MARK_SOURCE = {evidence.PRIMARY: "NCMEC, CyberTipline Reports by ESP",
               evidence.TRANSCRIPTION: "NCMEC, as transcribed by R. Grimm (diaphanous)"}
# The ledger's reported figure whose note records NCMEC's bundling of duplicate reports, and that
# we hold no NCMEC wording about it: charts that compare that year with the one before quote it.
BUNDLING_CLAIM = "ncmec-incidents-2024"


def _years(statuses: dict[int, str], wanted: str) -> list[int]:
    return sorted(int(year) for year, found in statuses.items() if found == wanted)


def _span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def transcribed_years(statuses: dict[int, str]) -> str:
    """The years known only from the transcription, as printed ("2024"), or "" if none."""
    return ", ".join(str(year) for year in _years(statuses, evidence.TRANSCRIPTION))


def _colon(lang: str) -> str:
    return f"{NBSP}:" if lang == "fr" else ":"


def ncmec_credit(statuses: dict[int, str], lang: str) -> str:
    """NCMEC's part of a source line, for the years in ``statuses`` (year → status).

    >>> ncmec_credit({2024: "transcription"}, "en")
    'NCMEC, 2024: transcription by R. Grimm (diaphanous)'
    """
    pdf, transcribed = _years(statuses, evidence.PRIMARY), transcribed_years(statuses)
    parts = [f"NCMEC, CyberTipline Reports by ESP {_span(pdf)}"] if pdf else []
    if transcribed:
        parts.append(("" if pdf else "NCMEC, ") + f"{transcribed}{_colon(lang)} "
                     + ("transcription de R. Grimm (diaphanous)" if lang == "fr"
                        else "transcription by R. Grimm (diaphanous)"))
    return (f"{NBSP}; " if lang == "fr" else "; ").join(parts)


def ncmec_source(statuses: dict[int, str], lang: str) -> str:
    """The source line for NCMEC figures of the years in ``statuses`` (year → status)."""
    return f"Source{_colon(lang)} " + ncmec_credit(statuses, lang)


def transcription_note(statuses: dict[int, str], lang: str) -> str:
    """What the hatching means (:func:`analysis.charts.style.mark_style`), for the years known
    only from the transcription; "" if there are none.

    >>> transcription_note({2023: "primary", 2024: "transcription"}, "en")
    'Hatched: resting on 2024 figures transcribed by a third party from NCMEC’s table, which we do not hold.'
    """
    years = transcribed_years(statuses)
    if not years:
        return ""
    if lang == "fr":
        return (f"Hachuré{NBSP}: repose sur des chiffres de {years} transcrits par un tiers du tableau du NCMEC, "
                "que nous ne détenons pas.")
    return f"Hatched: resting on {years} figures transcribed by a third party from NCMEC’s table, which we do not hold."


def _table(year: int, status: str, lang: str, named: bool) -> str:
    """NCMEC's table of ``year`` as we hold it: its own, or a transcription of it (``named``: NCMEC
    named here, else "its" for a table after the first)."""
    if lang == "fr":
        if status == evidence.TRANSCRIPTION:
            return "la transcription que nous détenons " + (f"du tableau {year} du NCMEC" if named else f"de son tableau {year}")
        return f"le tableau {year} du NCMEC" if named else f"son tableau {year}"
    table = f"NCMEC’s {year} table" if named else f"its {year} table"
    return f"the transcription we hold of {table}" if status == evidence.TRANSCRIPTION else table


def companies_listed(count: int, statuses: dict[int, str], lang: str) -> str:
    """``count`` companies, said of the tables that list them: a transcription lists only the
    providers the third party copied (NCMEC's own table lists hundreds), so a count of companies
    is the transcription's, not NCMEC's.

    >>> companies_listed(8, {2023: "primary", 2024: "transcription"}, "en")
    '8 companies listed both in NCMEC’s 2023 table and in the transcription we hold of its 2024 table'
    >>> companies_listed(1, {2024: "transcription"}, "fr")
    '1 groupe listé dans la transcription que nous détenons du tableau 2024 du NCMEC'
    """
    tables = [_table(year, statuses[year], lang, named=i == 0) for i, year in enumerate(sorted(statuses))]
    number = format_number(count, lang)
    if lang == "fr":
        where = " et dans ".join(tables)
        return f"{number} {'groupe listé' if count == 1 else 'groupes listés'} " + (
            f"à la fois dans {where}" if len(tables) > 1 else f"dans {where}")
    where = " and in ".join(tables)
    return f"{number} {'company' if count == 1 else 'companies'} listed " + (
        f"both in {where}" if len(tables) > 1 else f"in {where}")


def bundling_note(claim, first: int, last: int, lang: str) -> str:
    """NCMEC's bundling of duplicate reports, attributed as the ledger attributes it (the press; no
    NCMEC wording held), for a chart comparing ``first`` with ``last``; "" unless the year bundling
    began (the period of ``claim``, the ledger's :data:`BUNDLING_CLAIM`) is after ``first`` and not
    after ``last``."""
    year = int(claim.period)
    if not first < year <= last:
        return ""
    if lang == "fr":
        return (f"Selon la presse, le NCMEC a commencé en {year} à regrouper les signalements en double{NBSP}: "
                f"les chiffres de {year} peuvent ne pas se comparer aux précédents (nous ne détenons aucun texte "
                "du NCMEC à ce sujet).")
    return (f"According to the press, NCMEC began bundling duplicate reports in {year}: {year}’s counts may not "
            "compare with earlier ones (we hold no NCMEC wording on it).")
