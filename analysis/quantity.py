"""A value with its unit and what it rests on: :class:`Measure`, what every measure of
:mod:`analysis.measures` (and so every notebook entry point of :mod:`analysis.series`) returns.

>>> m = Measure(686176.0, "transcription", unit=REPORTS)
>>> print(m)
686,176 reports (third-party transcription of a primary document)
>>> Measure(-21.2, "primary", unit=PERCENT_CHANGE).text("fr")
'−21,2\u202f%'
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

from analysis import evidence, formatting

# Units, in words a reader understands; every measure declares one (:func:`in_unit`).
REPORTS = "reports"  # CyberTipline reports
REFERRALS = "referrals"  # CyberTipline referrals (NCMEC's Global Platform)
ACCOUNTS = "accounts"
STATEMENTS_PER_DAY = "statements of reasons per day"
STATEMENTS = "statements of reasons"
PERCENT = "percent"  # a share: of what, the measure's name and docstring say
PERCENT_CHANGE = "percent change"  # from the first period to the second
REPORTS_PER_100_SUSPENDED = "reports per 100 suspended accounts"
EVENTS = "events"
UNITS = (REPORTS, REFERRALS, ACCOUNTS, STATEMENTS_PER_DAY, STATEMENTS, PERCENT, PERCENT_CHANGE,
         REPORTS_PER_100_SUSPENDED, EVENTS)


@dataclass(frozen=True)
class Measure:
    """A value with its unit and what it rests on: ``print(m)`` says all three."""

    value: float
    evidence: str  # what the value rests on (analysis.evidence)
    events: tuple[tuple[str, str], ...] = ()  # for event claims: (what, ISO date), the value counts them
    unit: str = ""  # one of UNITS, set by the measure's declaration (in_unit)

    @property
    def usable(self) -> bool:
        """Whether the inputs may verify or contradict a claim (unsourced data may not)."""
        return evidence.publishable(self.evidence)

    def text(self, lang: str = "en") -> str:
        """The value with its unit, in the house typography: "3.4 % of…" is the caller's sentence."""
        if self.unit in (PERCENT, PERCENT_CHANGE):
            decimals = 2 if abs(self.value) < 1 else 1
            return formatting.format_percent(self.value, lang, decimals, signed=self.unit == PERCENT_CHANGE)
        whole = float(self.value).is_integer()
        return f"{formatting.format_number(self.value, lang, 0 if whole else 1)} {self.unit}".rstrip()

    def rests_on(self, lang: str = "en") -> str:
        """What the value rests on, in readers' words (:data:`analysis.evidence.DESCRIPTION`)."""
        return evidence.DESCRIPTION[self.evidence][lang]

    def __str__(self) -> str:
        return f"{self.text()} ({self.rests_on()})"

    def _repr_markdown_(self) -> str:  # how a notebook shows it
        return f"**{self.text()}** — rests on: {self.rests_on()}"


def in_unit(unit: str):
    """Declare the unit of a measure's values: every :class:`Measure` it returns carries it."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}: one of {UNITS}")

    def declare(function):
        @functools.wraps(function)
        def measure(*args, **kwargs) -> Measure:
            return dataclasses.replace(function(*args, **kwargs), unit=unit)

        measure.unit = unit
        return measure

    return declare
