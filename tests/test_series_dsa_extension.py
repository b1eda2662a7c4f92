"""X's monthly series on minors extended by our own ingest after the summary ends, on synthetic
days made and ingested here: provenance per day, coverage of partial months, the summary and the
ingest agreeing where they overlap, and synthetic days kept out of every published chart."""

import pandas as pd
import pytest

from analysis import datapackage, evidence, paths, tracking
from analysis.charts import build
from analysis.charts.x_minors_dsa import CHART, SOURCE, SOURCES
from analysis.dsa import ingest, release, summary, synth
from analysis.errors import DataError
from analysis.series import dsa, dsa_extension

ROWS = 10_000
X_MINORS = synth.expected(ROWS)["x_minors"]  # 600 a synthetic day
AFTER = [f"2026-01-{day:02d}" for day in range(11, 32)] + ["2026-02-01", "2026-02-03"]  # 2 February missing


def _ingest(days, tmp_path_factory, name):
    dumps, out = tmp_path_factory.mktemp(f"{name}-dumps"), tmp_path_factory.mktemp(name)
    for day in days:
        ingest.ingest_dump(synth.synth_dump(day, ROWS, dumps), out, progress=False)
    return dumps, out


@pytest.fixture(scope="module")
def after_summary(tmp_path_factory):
    """Synthetic days from the day after the summary's last to 3 February 2026, the 2nd missing."""
    return _ingest(AFTER, tmp_path_factory, "after")


@pytest.fixture(scope="module")
def overlapping(tmp_path_factory):
    """Two synthetic days: the summary's last day and the next."""
    return _ingest(["2026-01-10", "2026-01-11"], tmp_path_factory, "overlap")[1]


def test_days_carry_their_provenance(after_summary):
    dumps, data = after_summary
    days = dsa_extension.extended_days("X", data).set_index("day")
    assert days.index.is_unique and days.index.min() == summary.FIRST_DAY.isoformat()
    from_summary = days.loc[days.index <= summary.LAST_DAY.isoformat()]
    assert (from_summary["source"] == "summary").all() and from_summary["sha1"].isna().all()
    assert (from_summary["evidence"] == evidence.THIRD_PARTY_STATISTICS).all()
    ours = days.loc[days.index > summary.LAST_DAY.isoformat()]
    assert ours.index.tolist() == AFTER and (ours["source"] == "ingest").all()
    assert (ours["statements"] == X_MINORS).all() and (ours["evidence"] == evidence.SYNTHETIC).all()
    first = ours.loc["2026-01-11"]
    assert first["dump"] == "synthetic-sor-global-2026-01-11-full.zip"
    assert first["sha1"] == release.file_sha1(dumps / first["dump"])  # the dump's own SHA-1


def test_extension_counts_each_month_with_its_coverage(after_summary):
    _, data = after_summary
    months = dsa_extension.minors_by_month("X", data).set_index("period")
    real = dsa.minors_by_month("X").set_index("period")
    before = real.index[real.index < "2026-01"]
    pd.testing.assert_frame_equal(months.loc[before, real.columns], real.loc[before])  # the summary's months unchanged
    assert (months.loc[before, "source"] == "summary").all()
    january = months.loc["2026-01"]
    summary_part = dsa_extension.summary_days("X").query("day >= '2026-01-01'")
    assert (january["days_in_database"], january["days_with_statements"], january["complete"]) == (31, 31, True)
    assert january["statements"] == summary_part["statements"].sum() + 21 * X_MINORS
    assert january["daily_mean"] == pytest.approx(january["statements"] / 31)
    assert january["source"] == "summary+ingest" and january["evidence"] == evidence.SYNTHETIC
    february = months.loc["2026-02"]  # the 2nd is missing: not a zero, and the month stays incomplete
    assert (february["days_in_database"], february["days_with_statements"], february["complete"]) == (2, 2, False)
    assert february["statements"] == 2 * X_MINORS and february["daily_mean"] == X_MINORS
    assert february["source"] == "ingest"


def test_a_month_of_days_the_platform_did_not_file_is_missing_not_zero():
    days = pd.DataFrame({"day": ["2026-03-01", "2026-03-02"], "platform": "X", "statements": pd.array([pd.NA, pd.NA], "Int64"),
                         "filed": False, "source": "ingest", "dump": None, "sha1": None, "evidence": evidence.PRIMARY})
    march = dsa_extension.by_month(days).iloc[0]
    assert pd.isna(march["statements"]) and pd.isna(march["daily_mean"])
    assert (march["days_with_statements"], march["days_in_database"], march["complete"]) == (0, 2, False)


def test_by_month_of_the_summary_days_is_the_summary_table():
    ours = dsa_extension.by_month(dsa_extension.summary_days("X"))
    pd.testing.assert_frame_equal(ours.drop(columns="source"), dsa.minors_by_month("X"))


def test_overlap_agrees(overlapping):
    """A summary whose last day has the synthetic day's count (made here for the test) agrees."""
    made_up = dsa_extension.summary_days("X")
    made_up.loc[made_up["day"] == "2026-01-10", "statements"] = X_MINORS
    assert dsa_extension.check_agreement(made_up, dsa_extension.ingested_days(overlapping)) == 1
    days = dsa_extension.extended_days("X", overlapping, from_summary=made_up).set_index("day")
    assert days.loc["2026-01-10", "source"] == "summary" and days.loc["2026-01-11", "source"] == "ingest"


def test_overlap_disagreeing_names_the_day_and_both_counts(overlapping):
    real = int(dsa_extension.summary_days("X").set_index("day").loc["2026-01-10", "statements"])
    assert real != X_MINORS
    with pytest.raises(DataError, match=rf"2026-01-10: summary {real}, our ingest {X_MINORS} \(synthetic-sor-global"):
        dsa_extension.minors_by_month("X", overlapping)


def test_no_ingest_leaves_the_chart_as_it_is(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "DSA", tmp_path / "nothing-ingested")
    with tracking.recording() as reads:
        data = CHART.load()
    assert not data["ingested"] and set(data["months"]["source"]) == {"summary"}
    build.refuse_synthetic(CHART, reads)
    marks = CHART.marks(data, "en")
    assert set(marks["source"]) == {SOURCE}


def test_synthetic_days_are_refused_for_publication_but_usable(after_summary, monkeypatch):
    _, data_dir = after_summary
    monkeypatch.setattr(paths, "DSA", data_dir)
    with tracking.recording() as reads:
        data = CHART.load()  # a notebook or a test may draw from them
    assert data["ingested"] and data["months"]["period"].iloc[-1] == "2026-01"
    marks = CHART.marks(data, "en").set_index("category")
    assert marks.loc["2026-01", "source"] == SOURCES["summary+ingest"] != SOURCE
    assert marks.loc["2026-01", "evidence"] == evidence.SYNTHETIC
    assert marks.loc["2025-12", "source"] == SOURCE
    texts = CHART.texts(data, CHART.marks(data, "en"), "en")
    assert "Hollow circles" in texts.notes and texts.source.endswith("daily dumps, counted by us")
    with pytest.raises(build.SyntheticInput, match=r"synthetic DSA days \(2026-01-11, .*2026-02-03\)"):
        build.refuse_synthetic(CHART, reads)


def test_a_newly_ingested_day_changes_what_the_chart_depends_on(tmp_path):
    """The chart is drawn again once a day is ingested: its fingerprint reads the ingest's listing."""
    with tracking.recording() as reads:
        assert dsa_extension.record_ingest(tmp_path / "pq") == []
    assert datapackage.still_current(reads)
    ingest.ingest_dump(synth.synth_dump("2026-01-11", ROWS, tmp_path / "dumps"), tmp_path / "pq", progress=False)
    assert not datapackage.still_current(reads)
    (line,) = datapackage.current(reads).listings[dsa_extension.listing_key(tmp_path / "pq")]
    assert line.startswith("2026-01-11 ") and line.endswith(" synthetic")


@pytest.fixture(scope="module")
def gap_after_summary(tmp_path_factory):
    """Synthetic days after the summary: 11 to 20 January 2026 with X's usual 600 statements a
    day, then 21 to 31 January with 30 a day (almost nothing: a filing gap only our ingest holds)."""
    dumps, out = tmp_path_factory.mktemp("gap-dumps"), tmp_path_factory.mktemp("gap")
    for day in range(11, 32):
        ingest.ingest_dump(synth.synth_dump(f"2026-01-{day:02d}", 2_000 if day < 21 else 100, dumps), out,
                           progress=False)
    return out


def test_a_filing_gap_after_the_summary_is_found_from_our_ingest(gap_after_summary, monkeypatch):
    ours = dsa_extension.ingested_statements(gap_after_summary).set_index("day")
    assert ours.loc["2026-01-20", "statements"] == 600 and ours.loc["2026-01-21", "statements"] == 30
    gaps = dsa_extension.filing_gaps("X", gap_after_summary)
    from_summary = dsa.filing_gaps("X")
    pd.testing.assert_frame_equal(gaps.iloc[:len(from_summary)], from_summary)  # the summary's gaps unchanged
    (after,) = gaps.iloc[len(from_summary):].itertuples()
    assert (after.start, after.end) == (pd.Timestamp("2026-01-21"), pd.Timestamp("2026-01-31"))
    assert (after.release_days, after.days_with_statements, after.statements, after.evidence) == \
        (11, 11, 11 * 30, evidence.SYNTHETIC)
    monkeypatch.setattr(paths, "DSA", gap_after_summary)
    marks = CHART.marks(CHART.load(), "en")  # January complete, drawn, and the gap shaded on it
    assert marks.loc[marks["series"] == "daily mean", "category"].iloc[-1] == "2026-01"
    shaded = marks[(marks["series"] == "filing gap") & (marks["category"] == "2026-01-21/2026-01-31")]
    assert shaded["value"].tolist() == [11] and shaded["evidence"].tolist() == [evidence.SYNTHETIC]


def test_with_no_day_ingested_the_gaps_are_the_summary_s(tmp_path):
    pd.testing.assert_frame_equal(dsa_extension.filing_gaps("X", tmp_path / "nothing-ingested"), dsa.filing_gaps("X"))


def test_ingested_days_never_move_the_threshold_of_the_summary_s_gaps():
    """Many low days ingested later would pull the median down, and a gap the summary shows would
    vanish: the threshold is the summary's median day of filing."""
    days = pd.date_range("2025-12-01", periods=40)
    summary_counts = pd.Series([1000] * 10 + [50] * 8 + [1000] * 2, index=days[:20])  # 8 days under a tenth
    counts = pd.concat([summary_counts, pd.Series([60] * 20, index=days[20:])])
    assert dsa.gaps_in(counts).empty  # against its own median (60), the 50s are no gap
    gaps = dsa.gaps_in(counts, reference=summary_counts)
    assert gaps[["start", "end", "release_days"]].values.tolist() == [
        [days[10], days[17], 8], [days[20], days[39], 20]]
