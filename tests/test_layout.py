"""Every file of every format can be read: no text off the canvas, over other text or over a
badge, nothing printed under 6.5 pt and nothing shown under 12 CSS px on a screen. SVG and PNG are checked from matplotlib's own text extents
as each size is drawn; the PDFs are checked again from the characters pdfplumber reads in the
written files."""

import functools
from dataclasses import dataclass

import pytest
from matplotlib.colors import to_hex, to_rgb

from analysis.charts import build, charts, layout, render, style
from analysis.charts.chart import Chart, marks
from analysis.charts.style import Texts
from analysis.colour import AA_TEXT, contrast_ratio

CHARTS = {chart_id: chart for chart_id, chart in charts().items() if chart.available()}
LANGS = build.LANGS
# Filled marks no dark text may sit on: every meaning's colour but the grey and the year before's ink.
COLOURED = [to_rgb(colour) for who, colour in style.COLOURS.items() if who not in ("others", "year before")]


@pytest.fixture
def built(site):
    out, manifest, _ = site
    return out, manifest


@dataclass(frozen=True)
class Drawn:
    """One size of a chart as drawn, measured once for every test of this module."""

    size: style.Size
    width_pt: float
    height_pt: float
    width_in: float
    boxes: list  # layout.Box of every text and badge, as drawn
    faint: dict  # {text: (colour, ground, ratio)} of texts under WCAG AA on what is behind them


@functools.cache
def drawn(chart_id: str, lang: str) -> list[Drawn]:
    """Every size of the chart in ``lang``, drawn once per process and measured: the extents and
    sizes of its texts, and each text's contrast with the colour behind it as drawn."""
    from matplotlib.text import Text

    chart = CHARTS[chart_id]
    data = chart.load()
    marks_, texts = render.words(chart, data, lang)
    sizes = []
    for size, _, fig in render.figures(chart, data, marks_, texts, lang):
        width, height = (length * 72 for length in fig.get_size_inches())
        found = layout.boxes(fig)
        visible = [text for text in fig.findobj(Text) if text.get_visible() and text.get_text().strip()]
        faint = {text.get_text()[:40]: (text.get_color(), ground, round(contrast_ratio(text.get_color(), ground), 2))
                 for text, ground in _grounds(fig, visible).items()  # hides the texts: measured last
                 if contrast_ratio(text.get_color(), ground) < AA_TEXT}
        sizes.append(Drawn(size, width, height, fig.get_figwidth(), found, faint))
    return sizes


# Each chart and language on one test worker, so that the four tests reading its drawing draw it once.
DRAWINGS = [pytest.param(chart_id, lang, id=f"{lang}-{chart_id}",
                         marks=pytest.mark.xdist_group(f"drawing-{chart_id}-{lang}"))
            for lang in LANGS for chart_id in sorted(CHARTS)]


@pytest.mark.parametrize("chart_id, lang", DRAWINGS)
def test_drawn_texts_fit_and_do_not_collide_at_every_size(chart_id, lang):
    for each in drawn(chart_id, lang):
        assert len(each.boxes) >= 4, "title, subtitle, foot and credit at least"
        assert layout.problems(each.boxes, each.width_pt, each.height_pt) == [], (chart_id, lang, each.size.name)
    assert [each.size.name for each in drawn(chart_id, lang)] == ["web", "phone", "print"]


@pytest.mark.parametrize("chart_id, lang", DRAWINGS)
def test_no_text_under_the_print_minimum(chart_id, lang):
    """At 180 × 110 mm, every text (labels, ticks, notes) is 6.5 pt or more, as drawn."""
    printed = [each for each in drawn(chart_id, lang) if each.size is style.PRINT]
    assert len(printed) == 1
    small = {box.text: round(box.points, 2) for box in printed[0].boxes if box.points < style.PRINT.smallest_pt - 1e-6}
    assert small == {}, (chart_id, lang)
    assert style.PRINT.smallest_pt == 6.5 and style.SMALLEST * style.PRINT.type_scale >= 6.5 - 1e-9


def _colour(value) -> tuple | None:
    if isinstance(value, (tuple, list)) and len(value) == 3 and all(isinstance(v, (int, float)) for v in value):
        return tuple(value)
    if isinstance(value, (tuple, list)) and len(value) == 1:
        return (value[0],) * 3
    return None  # a pattern (hatching) or no colour


def _close(a, b) -> bool:
    return a is not None and all(abs(x - y) < 0.02 for x, y in zip(a, b))


def _overlap(a, b) -> float:
    return max(0.0, min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])) * \
        max(0.0, min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]))


def pdf_problems(path, smallest: float = style.PRINT.smallest_pt) -> list[str]:
    """The layout rules on a written PDF: every character on the page and ``smallest`` points or
    more; no character over another (more than a fifth of the smaller), but for kerned neighbours
    of one run; no character on a badge or a coloured mark under 4.5:1 against it (WCAG AA);
    white characters only on a filled mark."""
    import pdfplumber
    found = []
    with pdfplumber.open(path) as document:
        page = document.pages[0]
        chars = [{**c, "order": n} for n, c in enumerate(page.chars) if c["text"].strip()]
        fills = [(shape, _colour(shape.get("non_stroking_color"))) for shape in page.rects + page.curves
                 if shape.get("fill")]
        for c in chars:
            if c["x0"] < -0.5 or c["top"] < -0.5 or c["x1"] > page.width + 0.5 or c["bottom"] > page.height + 0.5:
                found.append(f"{c['text']!r} off the page")
            # pdfplumber's size is a character's extent across its line: for text turned a quarter
            # (an axis title, the months' coverage), its width on the page
            size = c["size"] if c["upright"] else c["x1"] - c["x0"]
            if size < smallest - 0.01:
                found.append(f"{c['text']!r} at ({c['x0']:.0f}, {c['top']:.0f}) is {size:.1f} pt")
        chars.sort(key=lambda c: c["x0"])
        for i, a in enumerate(chars):
            for b in chars[i + 1:]:
                if b["x0"] >= a["x1"]:
                    break
                if abs(a["order"] - b["order"]) == 1 and a["top"] == b["top"] and a["size"] == b["size"]:
                    continue  # neighbours in one run of text, brought together by kerning
                smaller = min((a["x1"] - a["x0"]) * (a["bottom"] - a["top"]), (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
                if _overlap(a, b) > 0.2 * smaller:
                    found.append(f"{a['text']!r} over {b['text']!r} at ({a['x0']:.0f}, {a['top']:.0f})")
        for c in chars:
            colour = _colour(c["non_stroking_color"])
            white = _close(colour, (1, 1, 1))
            area = (c["x1"] - c["x0"]) * (c["bottom"] - c["top"])
            marks = [(fill, _overlap(c, shape) / area) for shape, fill in fills
                     if (shape["x1"] - shape["x0"]) < page.width * 0.9]  # the background does not count
            if white and not any(share > 0.5 for _, share in marks):
                found.append(f"white {c['text']!r} on no mark at ({c['x0']:.0f}, {c['top']:.0f})")
            if colour and any(share > 0.1 and _close(fill, rgb) and contrast_ratio(colour, fill) < AA_TEXT
                              for fill, share in marks for rgb in COLOURED):
                found.append(f"{c['text']!r} too faint on a badge or coloured mark at ({c['x0']:.0f}, {c['top']:.0f})")
    return found


def test_every_pdf_file_is_readable(built):
    out, manifest = built
    pdfs = [name for entry in manifest for name in entry["files"] if name.endswith(".pdf")]
    assert len(pdfs) == len(CHARTS) * len(LANGS)
    assert {name: pdf_problems(out / name) for name in pdfs} == {name: [] for name in pdfs}


@pytest.mark.parametrize("overlap, message", [
    ((0, 0, 10, 10), "overlaps"), ((5, 5, 200, 20), "runs off the page"),
])
def test_problems_names_the_texts(overlap, message):
    boxes = [layout.Box("first", 0, 0, 10, 10), layout.Box("second", *overlap)]
    assert any(message in p and "second" in p for p in layout.problems(boxes, width=100, height=100))


def test_problems_names_a_text_set_too_small():
    boxes = [layout.Box("tiny", 0, 0, 10, 10, points=5.9), layout.Box("fine", 20, 0, 30, 10, points=6.5)]
    assert layout.problems(boxes, 100, 100, smallest=6.5) == ["text 'tiny' is 5.9 pt, under 6.5 pt"]


def test_a_text_may_sit_on_its_own_badge_only():
    badge = layout.Box("reported", 0, 0, 50, 12, "badge", owner=1)
    assert layout.problems([badge, layout.Box("reported", 2, 2, 48, 10, owner=1)], 100, 100) == []
    assert layout.problems([badge, layout.Box("subtitle", 2, 8, 90, 20, owner=2)], 100, 100) == [
        "badge 'reported' overlaps text 'subtitle'"]


def _broken_chart(draw) -> Chart:
    return Chart("broken", load=lambda: None,
                 marks=lambda data, lang: marks([{"series": "s", "category": "c", "value": 1, "label": "1",
                                                  "evidence": "primary", "source": "test"}]),
                 texts=lambda data, drawn, lang: Texts("A title", "A subtitle", "Source: test", "alt"),
                 draw=draw)


@pytest.mark.parametrize("draw, message", [
    (lambda ax, *_: ax.text(0.5, 1.6, "far above", transform=ax.transAxes), "'far above' runs off the page"),
    (lambda ax, *_: (ax.text(0.5, 0.5, "one text", transform=ax.transAxes),
                     ax.text(0.5, 0.5, "another", transform=ax.transAxes)), "'one text' overlaps text 'another'"),
    (lambda ax, *_: ax.text(0, 1.3, "A badge on the subtitle", transform=ax.transAxes,
                            **style.badge_style(12, style.REPORTED)), "overlaps"),
    (lambda ax, *_: (ax.set_axis_off(), ax.text(0.5, 0.5, "small print", transform=ax.transAxes, fontsize=style.pt(9))),
     r"'small print' is 9\.0 pt, under 10\.8 pt"),  # 12 CSS px at the web layout's 960
])
def test_render_refuses_a_broken_layout_and_writes_nothing(tmp_path, draw, message):
    chart = _broken_chart(draw)
    with pytest.raises(layout.LayoutError, match=message):
        render.render(chart, None, "en", tmp_path)
    assert not (tmp_path / "en").exists()


def test_the_widths_at_which_screens_show_each_layout():
    """The gallery shows the web layout at most 960 CSS px wide and the phone layout (below 600 CSS px)
    at 360 or wider: 12 CSS px is then 10.8 pt of the web's 864 and 12 pt of the phone's 360."""
    assert style.SCREENS == (style.WEB, style.PHONE)
    assert (style.WEB.shown_css_px, style.PHONE.shown_css_px) == (960, 360)
    assert style.WEB.smallest_pt == pytest.approx(10.8) and style.PHONE.smallest_pt == pytest.approx(12)
    assert style.WEB.css_px(10.8) == pytest.approx(12) and style.PHONE.css_px(12) == pytest.approx(12)


@pytest.mark.parametrize("chart_id, lang", DRAWINGS)
def test_no_text_under_12_css_px_in_any_layout_shown_on_a_screen(chart_id, lang):
    """Every text of the web and phone layouts, as drawn, is 12 CSS px or more at the width it is
    shown: its size in points × the width shown in CSS px / the figure's width in points."""
    measured = set()
    for each in drawn(chart_id, lang):
        if each.size not in style.SCREENS:
            continue
        assert each.width_in == each.size.width_in  # a phone layout grows taller, never wider
        small = {box.text: round(each.size.css_px(box.points), 2) for box in each.boxes
                 if box.kind == "text" and each.size.css_px(box.points) < style.MIN_CSS_PX - 1e-6}
        assert small == {}, (chart_id, lang, each.size.name)
        measured.add(each.size.name)
    assert measured == {"web", "phone"}


def _grounds(fig, texts) -> dict:
    """The colour behind each text as drawn: its badge's colour, or else the colour most of its
    extent shows once every text is hidden (the chart's ground, a bar, a tile, a shaded span).
    The figure was drawn on its Agg canvas by :func:`layout.boxes`: the texts are in place."""
    import numpy as np

    canvas = fig.canvas
    extents = {text: text.get_window_extent(canvas.get_renderer()) for text in texts}
    for text in texts:
        text.set_visible(False)
    canvas.draw()
    red, green, blue = (np.asarray(canvas.buffer_rgba())[:, :, channel].astype(np.uint32) for channel in range(3))
    pixels = red << 16 | green << 8 | blue  # one number a colour: counting them is a 1-D sort
    height = pixels.shape[0]
    grounds = {}
    for text, extent in extents.items():
        if text.get_bbox_patch() is not None:
            grounds[text] = to_hex(text.get_bbox_patch().get_facecolor())
            continue
        x0, x1 = max(int(extent.x0), 0), min(int(np.ceil(extent.x1)), pixels.shape[1])
        y0, y1 = max(int(height - extent.y1), 0), min(int(np.ceil(height - extent.y0)), height)
        colours, counts = np.unique(pixels[y0:y1, x0:x1], return_counts=True)
        grounds[text] = f"#{int(colours[counts.argmax()]):06x}"
    return grounds


@pytest.mark.parametrize("chart_id, lang", DRAWINGS)
def test_every_text_reads_on_what_is_behind_it(chart_id, lang):
    """WCAG AA for every text a chart draws, at every size: 4.5:1 between its colour and the colour
    behind it as drawn (a badge's box, a row, a tile or the page). Badges take the ink that reads
    on their colour (style.ink_on), coloured labels a shade of their colour that reads on white
    (style.text_shade): the marks keep their colours, and so their meanings."""
    for each in drawn(chart_id, lang):
        assert each.faint == {}, (chart_id, lang, each.size.name)


def test_the_badges_and_labels_colours_read_as_used():
    """The pairs the charts draw, computed from the house palette: each badge colour with its ink,
    each meaning's colour as text on the page and on a tile."""
    for fill in (style.REPORTED, style.CHECKED, style.ACCENT):  # the badges' colours and Grok's row
        assert contrast_ratio(style.badge_style(12, fill)["color"], fill) >= AA_TEXT, fill
    for colour in style.COLOURS.values():
        for ground in ("white", style.PANEL):
            assert contrast_ratio(style.text_shade(colour, ground), ground) >= AA_TEXT, (colour, ground)
    assert style.badge_style(12, style.REPORTED)["color"] != "white"  # white on orange was 2.25:1
