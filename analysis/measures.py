"""The named computations that recompute published figures from data (used by the claims ledger).

Each function takes plain arguments (years, dates) and returns a :class:`Measure`: the value, the
weakest status of the data it used (``ncmec-pdf`` < ``published by X`` < ``transcription`` <
``derived by a third party`` < ``unverified``), and the data-package resources it read. The ledger
names these functions; a figure is never typed where it can be computed.

>>> m = x_reports_to_ncmec(2024)
>>> m.value, m.status
(686176.0, 'transcription')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis import changes, datapackage
from analysis.sources import ncmec, x

# From strongest to weakest; a computation is only as strong as its weakest input.
STRENGTH = ["ncmec-pdf", "published by X", "transcription", "derived by a third party", "unverified"]
UNVERIFIED = "unverified"
TWITTER_ACQUISITION = pd.Timestamp("2022-10-27")


@dataclass(frozen=True)
class Measure:
    value: float
    status: str
    resources: tuple[str, ...] = field(default=())

    @property
    def usable(self) -> bool:
        """Whether the inputs may verify or contradict a claim (unverified data may not)."""
        return self.status != UNVERIFIED


def _weakest(*statuses: str) -> str:
    return max(statuses, key=STRENGTH.index)


def _ncmec_resources(year: int) -> tuple[str, ...]:
    names = {entry["name"] for entry in datapackage.resources()}
    pdf = f"ncmec-by-esp-{year}"
    return (pdf,) if pdf in names else (ncmec.TRANSCRIPTION_RESOURCE,)


def _company_year(year: int, company: str = "X Corp.") -> pd.Series:
    table = ncmec.company_reports(company).set_index("year")
    if year not in table.index:
        raise ValueError(f"no NCMEC provider rows for {company} in {year}")
    return table.loc[year]


def x_reports_to_ncmec(year: int) -> Measure:
    """X's (Twitter's) CyberTipline reports in ``year``, all of NCMEC's rows for X added up."""
    row = _company_year(year)
    return Measure(float(row["reports"]), row["status"],
                   _ncmec_resources(year) + (ncmec.COMPANIES_RESOURCE,))


def x_reports_to_ncmec_change(old_year: int, new_year: int) -> Measure:
    """Percent change of X's CyberTipline reports between two years."""
    old, new = x_reports_to_ncmec(old_year), x_reports_to_ncmec(new_year)
    return Measure(changes.percent_change(old.value, new.value), _weakest(old.status, new.status),
                   tuple(dict.fromkeys(old.resources + new.resources)))


def x_share_of_provider_reports(year: int) -> Measure:
    """X's share, in percent, of all reports NCMEC received from providers in ``year``."""
    row = _company_year(year)
    value = changes.share(float(row["reports"]), float(row["provider_total"]))
    return Measure(value, row["status"], _ncmec_resources(year) + (ncmec.COMPANIES_RESOURCE,))


def x_self_reported_share_of_ncmec_count(period_end: str, year: int) -> Measure:
    """X's self-reported NCMEC reports for the half-year ending ``period_end``, as a percent of
    NCMEC's count for X over the whole ``year``."""
    mine = x.self_reported()
    row = mine[(mine["measure"] == "reports_to_ncmec") & (mine["status"] == "published by X")
               & (mine["period_end"] == pd.Timestamp(period_end))]
    if len(row) != 1:
        raise ValueError(f"no X-published NCMEC report count for the period ending {period_end}")
    ncmec_count = x_reports_to_ncmec(year)
    return Measure(changes.share(float(row["value"].iloc[0]), ncmec_count.value),
                   _weakest("published by X", ncmec_count.status),
                   (x.REPORT_RESOURCE,) + ncmec_count.resources)


def x_transparency_reports_since_acquisition() -> Measure:
    """How many X transparency reports published after Musk's acquisition (27 Oct 2022) we hold."""
    since = [entry for entry in datapackage.resources()
             if entry.get("publisher_report") == "X transparency report"
             and pd.Timestamp(entry["published"]) > TWITTER_ACQUISITION]
    return Measure(float(len(since)), "published by X", tuple(e["name"] for e in since))


MEASURES = {function.__name__: function for function in (
    x_reports_to_ncmec, x_reports_to_ncmec_change, x_share_of_provider_reports,
    x_self_reported_share_of_ncmec_count, x_transparency_reports_since_acquisition)}
