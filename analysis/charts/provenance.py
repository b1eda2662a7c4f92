"""Source lines that say where each year's NCMEC figures come from, from the evidence of the data.

A year parsed from NCMEC's PDF and a year known only from a third party's transcription are
credited differently; which is which is read from the series' ``evidence`` column, never typed, so
registering NCMEC's PDF of a year changes the words with the numbers.

>>> ncmec_source({2023: "primary", 2024: "transcription"}, "en")
'Source: NCMEC, CyberTipline Reports by ESP 2023; 2024: transcription by R. Grimm (diaphanous)'
>>> ncmec_source({2022: "primary", 2023: "primary"}, "fr")
'Source\\xa0: NCMEC, CyberTipline Reports by ESP 2022–2023'
"""

from __future__ import annotations

from analysis import evidence
from analysis.formatting import NBSP


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
