"""One meaning per colour and one drawing of a transcribed value, in every chart: each bar or point
a chart draws is found by its mark's id (``style.mark_id``) and checked against its mark: the colour
of what it stands for (``style.COLOURS``), hatched exactly when it rests on a transcription."""

import inspect
import re

import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba

from analysis import evidence
from analysis.charts import charts, render, style

CHARTS = {chart_id: chart for chart_id, chart in charts().items() if chart.available()}
LANGS = ("fr", "en")
# Charts all of whose values are X's, whatever the series.
ALL_X = {"x-reports-to-ncmec", "x-share-of-reports", "x-france-referrals-2024"}
# Series drawn for the year before another: in its ink, over the companies' bars.
YEAR_BEFORE = {("provider-shares-2024", "share 2023")}


def meaning(chart_id: str, mark) -> str:
    """What a drawn mark stands for, read off the mark: the key of its colour in ``style.COLOURS``."""
    if (chart_id, mark.series) in YEAR_BEFORE:
        return "year before"
    if chart_id in ALL_X:
        return "X"
    if mark.series in ("France", "meta"):
        return {"France": "France", "meta": "Meta"}[mark.series]
    return mark.category if mark.category in ("X", "Meta") else "others"


def _drawn(chart_id: str, lang: str):
    """The chart's marks; by mark row, the artists drawing them; and the bars and points drawn
    without a mark's id (web size)."""
    chart = CHARTS[chart_id]
    data = chart.load()
    marks, texts = render.words(chart, data, lang)
    size, _, fig = next(render.figures(chart, data, marks, texts, lang))
    artists = {}
    for artist in fig.findobj(lambda a: (a.get_gid() or "").startswith("mark-")):
        artists.setdefault(int(artist.get_gid().removeprefix("mark-")), []).append(artist)
    bars_and_points = [patch for ax in fig.axes for container in ax.containers for patch in container.patches]
    bars_and_points += [c for ax in fig.axes for c in ax.collections if isinstance(c, PathCollection)]
    return marks, artists, [artist for artist in bars_and_points if not artist.get_gid()]


def _face(artist) -> tuple:
    face = artist.get_facecolor()
    return tuple(face[0] if getattr(face, "ndim", 1) == 2 else face)


def test_one_meaning_per_colour():
    assert len(set(style.COLOURS.values())) == len(style.COLOURS)
    assert style.colour_of("X") == style.ACCENT and style.colour_of("Snap") == style.COLOURS["others"]


@pytest.mark.parametrize("chart_id", sorted(charts()))
def test_chart_modules_take_their_colours_from_the_meanings(chart_id):
    """No chart module picks a colour of its own: no colour literal, no palette entry."""
    source = inspect.getsource(inspect.getmodule(charts()[chart_id].draw))
    assert not re.findall(r"#[0-9a-fA-F]{6}\b", source) and "PALETTE" not in source


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
@pytest.mark.parametrize("lang", LANGS)
def test_every_bar_and_point_has_its_meaning_s_colour_and_its_evidence_s_hatching(chart_id, lang):
    marks, artists, untagged = _drawn(chart_id, lang)
    assert untagged == [], "a bar or point drawn without its mark: its colour and hatching go unchecked"
    for row, drawn in artists.items():
        mark = marks.iloc[row]
        for artist in drawn:
            assert _face(artist) == pytest.approx(to_rgba(style.COLOURS[meaning(chart_id, mark)])), (row, mark.category)
            hatched = mark.evidence == evidence.TRANSCRIPTION
            assert (artist.get_hatch() == style.HATCH) if hatched else not artist.get_hatch(), (row, mark.category)


@pytest.mark.parametrize("chart_id, series", [
    ("x-reports-to-ncmec", {"NCMEC row"}), ("x-share-of-reports", {"x_share_pct", "x_share_of_others_pct"}),
    ("provider-shares-2024", {"share 2024", "share 2023"}), ("ncmec-change-2024", {"company", "meta", "others", "total"}),
    ("france-ncmec-reports", {"France"}),
])
def test_the_charts_of_ncmec_s_values_draw_each_by_its_mark(chart_id, series):
    """Every NCMEC value drawn as a bar or point is found, once, by its mark's id."""
    marks, artists, _ = _drawn(chart_id, "en")
    rows = marks.index[marks["series"].isin(series)].tolist()
    assert sorted(artists) == rows and all(len(artists[row]) == 1 for row in rows)


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
@pytest.mark.parametrize("lang", LANGS)
def test_a_chart_with_hatching_says_what_it_means(chart_id, lang):
    _, artists, _ = _drawn(chart_id, lang)
    hatched = any(artist.get_hatch() for drawn in artists.values() for artist in drawn)
    _, texts = render.words(CHARTS[chart_id], CHARTS[chart_id].load(), lang)
    assert hatched == (("Hachuré" if lang == "fr" else "Hatched") in texts.notes), chart_id
