"""What changes the meaning of a row of ``dsa query`` or ``dsa stats``: flagged in the row (the
columns ``synthetic`` and ``flags``) and said in the output's footer.

- **synthetic input**: a row whose period holds a synthetic day (as ``dsa ingest`` recorded it in
  the day's ``_ingest.json``: by name, zip comment or the rows' own marks) is ``synthetic``; the
  footer then starts with a warning line ``# SYNTHETIC: …``, and so does a CSV (the project's mark
  of a synthetic file, :func:`analysis.synthetic.is_synthetic`);
- **schema change**: a period that contains :data:`schema.SCHEMA_CHANGE` (1 July 2025, the
  categories and keywords revised), or the first period after it in a platform's series when the
  previous one is before it: a change between those rows is not a change in moderation;
- **missing days**: a period in which the data held lacks calendar days (days not ingested, or
  no release of the database): a missing day is not a zero;
- **filing gap**: the platform filed on fewer of the period's days held than it could (from the
  table's ``days_with_statements``, or the days each platform filed in the ingested data), or the
  period overlaps a run of near-silence found in the published summary
  (:func:`analysis.series.dsa.filing_gaps`).

Everything comes from data the project already holds: the days held, their ``_ingest.json``, the
days each platform filed, the summary's filing gaps and the schema change's date.

>>> flagged = flag(["period", "platform", "category", "statements"],
...                [("2025-06", "X", "C", 5), ("2025-07", "X", "C", 3)],
...                Coverage(held=frozenset(days("2025-06-01", "2025-07-31"))))
>>> [row[-1] for row in flagged.rows]
['', 'schema change 2025-07-01']
"""

from __future__ import annotations

import bisect
import calendar
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from analysis import synthetic
from analysis.dsa import schema

COLUMNS = ["synthetic", "flags"]
LISTED = 6  # periods named in a footer line


@dataclass(frozen=True)
class Coverage:
    """What the project holds about a table's input: the release days ``held``, those of them
    that are ``synthetic``, the days each platform ``filed`` (when the table itself does not say,
    as ``dsa query``'s does not), and runs of near-silence per platform (``gaps``, inclusive)."""
    held: frozenset[date]
    synthetic: frozenset[date] = frozenset()
    filed: Mapping[str, frozenset[date]] | None = None
    gaps: Mapping[str, tuple[tuple[date, date], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Period:
    """What a flag needs of a period: its first and last day (ordinals), its days held."""
    first: int
    last: int
    calendar_days: int
    synthetic: bool
    held_days: list[date]

    @property
    def held(self) -> int:
        return len(self.held_days)


@dataclass(frozen=True)
class Flagged:
    """A table with its two caveat columns, and the footer that says what they flag."""
    columns: list[str]
    rows: list[tuple]
    footer: list[str]

    @property
    def csv_head(self) -> str:
        """The line a CSV of this table starts with: the synthetic warning, or nothing."""
        return csv_head(self.footer)


def csv_head(footer: list[str]) -> str:
    """The synthetic warning of a footer as a CSV's first line (``# SYNTHETIC…``, the mark
    :func:`analysis.synthetic.is_synthetic` reads), or ``""`` for real input."""
    return footer[0] + "\n" if footer and footer[0].startswith(synthetic.HEADER) else ""


def days(first: str, last: str) -> list[date]:
    """Every day from ``first`` to ``last`` (``YYYY-MM-DD``), inclusive."""
    start, stop = date.fromisoformat(first), date.fromisoformat(last)
    return [start + timedelta(days=n) for n in range((stop - start).days + 1)]


def period_days(period: str) -> tuple[date, date]:
    """The first and last day of a period ``YYYY-MM-DD`` or ``YYYY-MM``.

    >>> period_days("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    if len(period) == 7:
        first = date.fromisoformat(period + "-01")
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
    day = date.fromisoformat(period)
    return day, day


def _listing(items: dict[str, None]) -> str:
    """The first items named, and how many more (``items``: unique, in order of appearance)."""
    named = list(itertools.islice(items, LISTED))
    return ", ".join(named) + (f" … ({len(items) - LISTED} more)" if len(items) > LISTED else "")


class Flagging:
    """The caveat columns of a table's rows, batch after batch in order (sorted by period, with
    ``period``, ``platform`` and ``category`` columns), and the footer of what they flagged: a
    table far larger than memory is flagged a batch at a time. What it keeps between batches is
    one date per series and each flagged period (or platform and period) once.

    A batch is flagged column by column (the widest request is 1.2 million rows): what depends on
    a period, or on a platform in a period, is worked out once for each, and only the flagged rows'
    texts are joined row by row."""

    def __init__(self, columns: list[str], coverage: Coverage) -> None:
        self.columns, self.coverage = list(columns), coverage
        self._held = sorted(coverage.held)
        self._periods: dict[str, _Period] = {}
        self._filed: dict[tuple[str, str], int] = {}
        self._gaps: dict[tuple[str, str], list[str]] = {}
        self._last_of_series: dict[tuple, int] = {}  # a series' last day so far (as an ordinal)
        self._noted: dict[str, dict[str, None]] = {"schema": {}, "missing": {}, "gap": {}}

    def rows(self, rows: Iterable[tuple]) -> list[tuple]:
        """``rows`` with ``synthetic`` and ``flags`` added."""
        import pandas as pd

        rows = list(rows)
        table = pd.DataFrame.from_records(rows, columns=self.columns) if rows else pd.DataFrame(columns=self.columns)
        is_synthetic, flags = self.columns_of(table)
        return [(*row, bool(synthetic), flag) for row, synthetic, flag in zip(rows, is_synthetic, flags)]

    def columns_of(self, table) -> tuple[list[bool], list[str]]:
        """The ``synthetic`` and ``flags`` columns of the next batch, a DataFrame of ``columns``."""
        import numpy as np
        import pandas as pd

        if table.empty:
            return [], []
        periods = pd.unique(table["period"])
        spans = [self._span(period) for period in periods]
        at = pd.Index(periods).get_indexer(table["period"])
        first, last, held, calendar_days = (np.array([getattr(span, name) for span in spans])[at]
                                            for name in ("first", "last", "held", "calendar_days"))
        is_synthetic = np.array([span.synthetic for span in spans], dtype=bool)[at]

        platforms = table["platform"].to_numpy()
        # each (platform, category) numbered; a missing category numbered too, a series of its own
        # (grouping by the two columns would leave its rows out)
        platform_codes, platform_names = pd.factorize(platforms, use_na_sentinel=False)
        category_codes, category_names = pd.factorize(table["category"].to_numpy(), use_na_sentinel=False)
        series = platform_codes.astype(np.int64) * len(category_names) + category_codes
        names = [[None if pd.isna(name) else name for name in found] for found in (platform_names, category_names)]

        def key(number: int) -> tuple:  # a series as (platform, category), across batches
            return names[0][number // len(category_names)], names[1][number % len(category_names)]

        by_series = pd.Series(last).groupby(series, sort=False)
        before = by_series.shift(1).to_numpy(dtype=float)
        for row in np.flatnonzero(np.isnan(before)):  # a series' first row of the batch: its last of the batches before
            before[row] = self._last_of_series.get(key(series[row]), np.nan)
        ends = by_series.last()
        self._last_of_series.update((key(number), day) for number, day in zip(ends.index, ends.to_numpy()))

        change = schema.SCHEMA_CHANGE.toordinal()
        across_change = ((first < change) & (change <= last)) | ((before < change) & (change <= first))
        missing = held < calendar_days
        if "days_with_statements" in table.columns:
            filed = table["days_with_statements"].to_numpy(dtype=float)
        else:
            filed = np.array([self._filed_in(platform, period) for platform, period in
                              zip(platforms, table["period"])], dtype=float)
        short_filing = filed < held  # NaN (filings unknown) compares False
        gaps = [self._gaps_in(platform, period) for platform, period in zip(platforms, table["period"])] \
            if self.coverage.gaps else None
        has_gap = np.array([bool(found) for found in gaps], dtype=bool) if gaps else np.zeros(len(table), bool)

        noted, row_periods = self._noted, periods[at]
        noted["schema"].update(dict.fromkeys(pd.unique(row_periods[across_change])))
        noted["missing"].update(dict.fromkeys(pd.unique(row_periods[missing])))
        noted["gap"].update(dict.fromkeys(f"{platforms[row]} {row_periods[row]}"
                                          for row in np.flatnonzero(short_filing | has_gap)))

        flags = [""] * len(table)
        for row in np.flatnonzero(across_change | missing | short_filing | has_gap):
            parts = []
            if across_change[row]:
                parts.append(f"schema change {schema.SCHEMA_CHANGE}")
            if missing[row]:
                parts.append(f"missing days: {held[row]} of {calendar_days[row]} held")
            if short_filing[row]:
                parts.append(f"filing gap: filed on {int(filed[row])} of {held[row]} days held")
            if gaps:
                parts.extend(gaps[row])
            flags[row] = "; ".join(parts)
        return is_synthetic.tolist(), flags

    def _span(self, period: str) -> _Period:
        """A period's days as ordinals, how many of them are held and whether one is synthetic."""
        if period not in self._periods:
            first, last = period_days(period)
            held = self._held[bisect.bisect_left(self._held, first):bisect.bisect_right(self._held, last)]
            self._periods[period] = _Period(first.toordinal(), last.toordinal(), (last - first).days + 1,
                                            any(first <= day <= last for day in self.coverage.synthetic), held)
        return self._periods[period]

    def _filed_in(self, platform: str, period: str) -> int | None:
        """The days held of ``period`` on which ``platform`` filed, where the coverage says."""
        filed = self.coverage.filed
        if filed is None or platform not in filed:
            return None
        if (platform, period) not in self._filed:
            self._filed[platform, period] = len(filed[platform].intersection(self._span(period).held_days))
        return self._filed[platform, period]

    def _gaps_in(self, platform: str, period: str) -> list[str]:
        """The summary's runs of near-silence of ``platform`` that overlap ``period``."""
        if (platform, period) not in self._gaps:
            first, last = period_days(period)
            self._gaps[platform, period] = [f"filing gap {start} to {end}" for start, end in
                                            self.coverage.gaps.get(platform, ()) if start <= last and end >= first]
        return self._gaps[platform, period]

    def footer(self) -> list[str]:
        """The footer's lines for the rows flagged so far (the synthetic warning first)."""
        coverage, noted = self.coverage, self._noted
        footer = []
        if coverage.synthetic:
            days_named = {d.isoformat(): None for d in sorted(coverage.synthetic)}
            footer.append(f"{synthetic.HEADER}: warning, made from synthetic input ({len(coverage.synthetic)} "
                          f"synthetic day(s): {_listing(days_named)}; "
                          "rows marked in the synthetic column): not real statements, never publish")
        if noted["schema"]:
            footer.append(f"schema change: the Commission revised the statement categories and keywords on "
                          f"{schema.SCHEMA_CHANGE}; counts per category are not comparable across it "
                          f"(flagged: {_listing(noted['schema'])})")
        if noted["missing"]:
            footer.append("missing days: the data held lacks days of " + _listing(noted["missing"])
                          + " (a missing day is not a zero: compare daily means of complete periods only)")
        if noted["gap"]:
            footer.append("filing gap: the platform filed nothing, or next to nothing, on some days held ("
                          + _listing(noted["gap"]) + "): silence is not the absence of moderation")
        return footer


def flag(columns: list[str], rows: list[tuple], coverage: Coverage) -> Flagged:
    """``rows`` (sorted by period, with ``period``, ``platform`` and ``category`` columns) with
    ``synthetic`` and ``flags`` added, and the footer lines (the synthetic warning first)."""
    flagging = Flagging(columns, coverage)
    out = flagging.rows(rows)
    return Flagged([*columns, *COLUMNS], out, flagging.footer())


def of_dumps(data: str | Path, filed_by_platform: bool) -> Coverage:
    """The coverage of dumps ingested into ``data``: the days ingested, the synthetic ones (each
    day's ``_ingest.json``) and, with ``filed_by_platform``, the days each service filed."""
    from analysis.dsa import names, query

    ingested = query.ingested_days(data)
    held = frozenset(date.fromisoformat(day) for day in ingested["day"])
    fake = frozenset(date.fromisoformat(day) for day in ingested.loc[ingested["synthetic"], "day"])
    filed = None
    if filed_by_platform and held:
        filed = {}
        with query.connect(data) as con:
            for day, name in con.execute("SELECT DISTINCT CAST(date AS VARCHAR), platform_name "
                                         "FROM statements").fetchall():
                service = names.service_of(name)
                filed[service] = filed.get(service, frozenset()) | {date.fromisoformat(day)}
    return Coverage(held, fake, filed)


def of_summary(platform: str | None) -> Coverage:
    """The coverage of the published summary statistics: every release day (none synthetic) and,
    for one platform, its runs of near-silence."""
    from analysis.dsa import summary
    from analysis.series import dsa

    gaps = {}
    if platform is not None:
        runs = dsa.filing_gaps(platform)
        gaps[platform] = tuple((start.date(), end.date()) for start, end in zip(runs["start"], runs["end"]))
    return Coverage(frozenset(summary.release_days()), frozenset(), None, gaps)


def frame(table, coverage: Coverage, flagging: Flagging | None = None):
    """A DataFrame with the two caveat columns added (``attrs["footer"]``: the footer's lines).
    With ``flagging``, ``table`` is the next batch of a table flagged batch after batch, and the
    footer is that of every batch so far."""
    flagging = flagging or Flagging(list(table.columns), coverage)
    result = table.copy()
    result["synthetic"], result["flags"] = flagging.columns_of(table)
    result.attrs = {**table.attrs, "footer": flagging.footer()}
    return result
