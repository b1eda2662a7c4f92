"""The house style every chart uses: font, sizes, palette, and the frame of texts around a chart.

- Font: DejaVu Sans as shipped inside matplotlib's own wheel (nothing downloaded, and the same
  glyphs on every machine, which byte-reproducible files need). It has the typographic minus and
  the French no-break spaces.
- Sizes: web, 1200×675 px drawn at 2× (a 2400×1350 PNG); phone, portrait, 360×720 CSS px drawn
  at 2× (``<id>.phone.png`` and ``.svg``); print, 180 × 110 mm (PDF, vector). Each size has its
  own type scale: a chart draws its type in web points through :func:`pt`, which scales them to
  the size being drawn (inside :func:`sized`), so the print page is laid out for print and the
  phone for a phone, not shrunk from the screen. A chart that must place things otherwise on a
  phone asks :func:`on_phone`.
- Smallest type: no text under :data:`MIN_CSS_PX` (12) CSS px at the width a screen layout is
  shown, and none under 6.5 pt on paper (:attr:`Size.smallest_pt`). A text of ``f`` points in a
  figure ``W`` points wide shown ``w`` CSS px wide is ``f × w / W`` CSS px (:meth:`Size.css_px`).
  The widths shown are the gallery's: the phone layout at 360 CSS px (a phone's width; the
  gallery uses it below 600 CSS px, where it is shown wider, never narrower), the web layout at
  960 CSS px (the most the gallery gives it on a desktop). So the web layout's smallest type is
  10.8 pt (12 × 864 / 960) and the phone's, 360 pt wide, is 12 pt.
- Colour: Okabe & Ito's colour-blind-safe set, one meaning per colour in every chart
  (:data:`COLOURS`: X, Meta, other companies, France, a reported figure, a checked one); chart
  modules take their marks' colours from there, never a colour of their own.
- Evidence: a bar or point resting on a third party's transcription is hatched, in every chart
  (:func:`mark_style`), and the chart's notes say so (:mod:`.provenance`).
- Frame: title, subtitle, chart, notes, source line and credit, placed by :func:`frame`.

>>> WEB.width_px, WEB.height_px, WEB.scale
(1200, 675, 2)
"""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure

from analysis import evidence
from analysis.colour import AA_TEXT, contrast_ratio

FONT_FILE = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
FONT = "DejaVu Sans"

# Okabe & Ito (2008), "Color Universal Design".
ACCENT = "#D55E00"  # vermillion: X (and Grok, its owner's app), the story's subject
META = "#0072B2"  # blue: Meta (Facebook, Instagram, WhatsApp), whose reports are most of NCMEC's
MUTED = "#999999"  # grey: context (other companies, all platforms together), figures we could not verify
FRANCE = "#CC79A7"  # reddish purple: France
REPORTED = "#E69F00"  # orange: a figure someone reported, which no data we hold checks
CHECKED = "#009E73"  # bluish green: a figure our data checked (a badge)
INK = "#222222"
SUBTLE = "#555555"
GRID = "#dddddd"
PANEL = "#f3f3f3"  # the ground of a tile, a side panel or a span without data: no meaning of its own
# What a mark stands for → its colour, the same in every chart: one meaning per colour (a test
# holds every chart module to it). INK marks the year before where a chart sets two years apart.
COLOURS = {"X": ACCENT, "Meta": META, "others": MUTED, "France": FRANCE, "reported": REPORTED,
           "checked": CHECKED, "year before": INK}
# seaborn's cycle, for exploring in notebooks: the meanings first, then the rest of the set.
PALETTE = [ACCENT, META, MUTED, FRANCE, REPORTED, CHECKED, "#56B4E9", "#F0E442"]
# A bar or point resting on a third party's transcription: white lines over its colour.
HATCH = "////"


MIN_CSS_PX = 12  # the smallest text a reader is shown on a screen, in CSS px


@dataclass(frozen=True)
class Size:
    name: str
    width_in: float
    height_in: float
    dpi: int
    scale: int = 1
    type_scale: float = 1.0  # type size relative to the web layout's
    floor_pt: float = 0.0  # on paper: no text may be drawn smaller, in points (the renderer refuses it)
    shown_css_px: float = 0.0  # on a screen: the width, in CSS px, at which readers are shown it
    suffix: str = ""  # its files are named <chart id><suffix>.<format>

    @property
    def width_px(self) -> int:
        return round(self.width_in * self.dpi / self.scale)

    @property
    def height_px(self) -> int:
        return round(self.height_in * self.dpi / self.scale)

    @property
    def portrait(self) -> bool:
        return self.height_in > self.width_in

    def css_px(self, points: float) -> float:
        """How tall type of ``points`` points is on a screen showing this size at its width."""
        return points * self.shown_css_px / (self.width_in * 72)

    @property
    def smallest_pt(self) -> float:
        """No text may be drawn smaller, in points at this size: :data:`MIN_CSS_PX` at the width it
        is shown on a screen, the paper's floor in print (the renderer refuses smaller type)."""
        return MIN_CSS_PX * self.width_in * 72 / self.shown_css_px if self.shown_css_px else self.floor_pt


WEB = Size("web", 12.0, 6.75, dpi=200, scale=2, shown_css_px=960)  # 100 px per inch of layout, drawn at 2×
BASE_FONT_SIZE = 13
SMALLEST = WEB.smallest_pt  # web points: the smallest type a chart may ask :func:`pt` for (10.8)
# Portrait, 360 pt wide shown at 360 CSS px (1 pt a CSS px), 72 px per inch drawn at 2×: its
# smallest type is 12 pt, so its type scale takes the web's smallest there.
PHONE = Size("phone", 5.0, 10.0, dpi=144, scale=2, type_scale=MIN_CSS_PX / SMALLEST, shown_css_px=360,
             suffix=".phone")
# Print type is a little larger than the page's ratio to the screen (0.59), and never under 6.5 pt
# (legible on paper): at this scale a chart's smallest type is 6.7 pt.
PRINT = Size("print", 180 / 25.4, 110 / 25.4, dpi=300, type_scale=0.62, floor_pt=6.5)
SCREENS = (WEB, PHONE)  # the layouts readers are shown on a screen

RC = {
    "font.family": FONT,
    "font.size": BASE_FONT_SIZE,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 13,
    "xtick.color": SUBTLE,
    "ytick.color": SUBTLE,
    "text.color": INK,
    "axes.unicode_minus": True,
    "svg.hashsalt": "x-grok-child-safety",  # fixed ids: same SVG bytes for the same chart
    "svg.fonttype": "none",  # texts as <text> in the house font: read by screen readers, search and copy
    "pdf.fonttype": 42,
    "path.simplify": True,
}

# Where the frame sits, in figure fractions.
LEFT, RIGHT = 0.055, 0.965


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """matplotlib's settings for the house style, inside the block only. They start from
    matplotlib's defaults, so a theme set for exploring (seaborn's, in a notebook) never leaks
    into a published chart."""
    if font_manager.findfont(FONT) != str(FONT_FILE):
        font_manager.fontManager.addfont(str(FONT_FILE))
    with plt.rc_context():
        matplotlib.rcdefaults()
        plt.rcParams.update(RC)
        yield


_DRAWING: list[Size] = [WEB]  # the size :func:`sized` draws, innermost last


@contextlib.contextmanager
def sized(size: Size) -> Iterator[None]:
    """Draw for ``size`` inside the block: the base font (ticks, labels) and :func:`pt` follow its
    type scale, and :func:`drawing` says which size it is. Call it inside :func:`house_style`."""
    _DRAWING.append(size)
    try:
        with plt.rc_context({"font.size": BASE_FONT_SIZE * size.type_scale}):
            yield
    finally:
        _DRAWING.pop()


def drawing() -> Size:
    """The size being drawn (:func:`sized`)."""
    return _DRAWING[-1]


def on_phone() -> bool:
    """Whether the size being drawn is the phone's (portrait): for a chart that places things otherwise there."""
    return drawing().portrait


def pt(points: float) -> float:
    """A length in web points (type sizes, offsets), for the size being drawn (:func:`sized`)."""
    return points * plt.rcParams["font.size"] / BASE_FONT_SIZE


def wrap_to(text: str, chars: int) -> str:
    """Wrap ``text`` at ``chars`` characters a line, never inside a hyphenated word ("third-party")."""
    return textwrap.fill(text, chars, break_on_hyphens=False)


def wrap(text: str, size: Size, font_size: float, em: float = 0.55) -> str:
    """Wrap ``text`` to the frame's width, at about ``em`` of the font size per character."""
    chars = int((RIGHT - LEFT) * size.width_in * 72 / (font_size * em))
    return "\n".join(textwrap.fill(paragraph, chars) for paragraph in text.split("\n"))


@dataclass(frozen=True)
class Texts:
    """Everything a reader reads around a chart, in one language."""

    title: str
    subtitle: str
    source: str
    alt: str
    notes: str = ""
    credit: str = ""
    badge: str = ""  # set for figures reported by someone else: drawn under the subtitle


PHONE_CHART_PT = 330  # the least height a phone layout leaves its chart, in points


def frame(texts: Texts, size: Size, phone_chart_pt: float = PHONE_CHART_PT):
    """A figure with the house frame drawn and one axes for the chart; returns ``(fig, ax)``.
    Call it inside :func:`house_style` and :func:`sized`. Each text block is placed below the one
    above it, at the height its wrapped lines take at this size's type. A phone layout grows taller
    than its size where its texts would leave the chart less than ``phone_chart_pt`` points (a phone
    page scrolls; its width is what is fixed)."""
    # On a phone the title and subtitle are nearer the body's size: the width is a third of the web's.
    fonts = {"title": pt(18 if size.portrait else 22), "subtitle": pt(12.5 if size.portrait else 14),
             "foot": pt(SMALLEST), "badge": pt(11)}
    title = wrap(texts.title, size, fonts["title"], em=0.62)  # bold is wider
    subtitle = wrap(texts.subtitle, size, fonts["subtitle"])
    foot = "\n".join(part for part in (texts.notes, texts.source) if part)
    foot = wrap(foot, size, fonts["foot"], em=0.62)  # leaves room for the credit
    badge = wrap(texts.badge, size, fonts["badge"], em=0.68)  # bold, and its box's padding
    heights = {"title": (title.count("\n") + 1) * fonts["title"] * 1.25,
               "subtitle": (subtitle.count("\n") + 1) * fonts["subtitle"] * 1.3,
               "badge": fonts["badge"] * (1.5 + 1.2 * (badge.count("\n") + 1)) if texts.badge else 0,
               # On a phone the credit has a line of its own under the notes: no room beside them.
               "line": fonts["foot"] * 1.35, "foot": (foot.count("\n") + 1 + size.portrait) * fonts["foot"] * 1.35}
    height_pt = size.height_in * 72
    if size.portrait:  # margins: 0.045 + 0.01 + 0.045 above, 0.02 + 0.06 below
        height_pt = max(height_pt, (heights["title"] + heights["subtitle"] + heights["badge"] + heights["foot"]
                                    + phone_chart_pt) / (1 - 0.18))
    fig = Figure(figsize=(size.width_in, height_pt / 72))  # no pyplot: no global figure to close

    y = 1 - 0.045
    fig.text(LEFT, y, title, fontsize=fonts["title"], fontweight="bold", va="top", ha="left")
    y -= heights["title"] / height_pt + 0.01
    fig.text(LEFT, y, subtitle, fontsize=fonts["subtitle"], color=SUBTLE, va="top", ha="left")
    y -= heights["subtitle"] / height_pt
    if texts.badge:
        y -= fonts["badge"] * 0.8 / height_pt
        fig.text(LEFT + 0.004, y, badge, va="top", ha="left", **badge_style(fonts["badge"], REPORTED))
        y -= heights["badge"] / height_pt - fonts["badge"] * 0.8 / height_pt
    top = y - 0.045

    line = heights["line"] / height_pt
    foot_y = 0.02 + line if size.portrait and texts.credit else 0.03
    fig.text(LEFT, foot_y, foot, fontsize=fonts["foot"], color=SUBTLE, va="bottom", ha="left",
             linespacing=1.35)
    if texts.credit:
        fig.text(RIGHT, 0.02 if size.portrait else 0.03, texts.credit, fontsize=fonts["foot"], color=SUBTLE,
                 va="bottom", ha="right", fontweight="bold")
    bottom = foot_y + heights["foot"] / height_pt - (line if size.portrait else 0) + (0.06 if size.portrait else 0.09)
    ax = fig.add_axes((LEFT + 0.02, bottom, RIGHT - LEFT - 0.02, max(top - bottom, 0.2)))
    return fig, ax


def seaborn_theme(context: str = "notebook") -> None:
    """seaborn's theme set to the house style (font, ink, palette, no top/right spines), for
    exploring in notebooks; publication charts are drawn by :mod:`analysis.charts` instead."""
    import seaborn as sns

    if font_manager.findfont(FONT) != str(FONT_FILE):
        font_manager.fontManager.addfont(str(FONT_FILE))
    sns.set_theme(context=context, style="ticks", palette=PALETTE, font=FONT,
                  rc={key: value for key, value in RC.items() if not key.startswith(("svg.", "pdf.", "path."))})


def ink_on(fill: str) -> str:
    """The colour of text set on a ground of ``fill``: white where it reads at WCAG AA (4.5:1),
    else the house ink, else black. The ground keeps its colour, and so its meaning.

    >>> ink_on(REPORTED) == INK, ink_on(META), ink_on(ACCENT)
    (True, 'white', 'black')
    """
    return next(ink for ink in ("white", INK, "black") if contrast_ratio(ink, fill) >= AA_TEXT)


def text_shade(colour: str, ground: str = "white") -> str:
    """``colour`` for text on ``ground``: itself where it reads at WCAG AA (4.5:1), else the
    lightest darker shade of it that does (the same hue, so the same meaning).

    >>> text_shade(META), text_shade(ACCENT), text_shade(REPORTED)
    ('#0072B2', '#c05500', '#966700')
    """
    red, green, blue = to_rgb(colour)
    for step in range(21):
        shade = to_hex((red * (1 - step / 20), green * (1 - step / 20), blue * (1 - step / 20)))
        if contrast_ratio(shade, ground) >= AA_TEXT:
            return colour if step == 0 else shade
    raise ValueError(f"no shade of {colour} reads on {ground}")


def badge_style(fontsize: float, colour: str) -> dict:
    """The keyword arguments of ``text()`` for a badge: bold type on a rounded ``colour`` box, in
    the ink that reads on it (:func:`ink_on`; the layout check knows a badge by its box)."""
    return {"fontsize": fontsize, "color": ink_on(colour), "fontweight": "bold",
            "bbox": {"boxstyle": "round,pad=0.35", "facecolor": colour, "edgecolor": "none"}}


def colour_of(who: str) -> str:
    """The colour of what a mark stands for: X, Meta and France have their own, every other
    company (and all platforms together) shares the context grey.

    >>> colour_of("Meta") == META, colour_of("Snap") == colour_of("All platforms") == MUTED
    (True, True)
    """
    return COLOURS[who] if who in ("X", "Meta", "France") else COLOURS["others"]


def mark_style(colour: str, grade: str, mark: int) -> dict:
    """The keyword arguments of ``bar``, ``barh`` or ``scatter`` for a bar or point in ``colour``
    resting on evidence ``grade``: hatched in white when that is a third party's transcription
    (the same encoding in every chart), solid otherwise. ``mark`` is the mark's row in the chart's
    marks table, kept as the artist's id so that a test can find what drew each mark."""
    hatched = grade == evidence.TRANSCRIPTION
    return {"facecolor": colour, "edgecolor": "white", "linewidth": 0, "hatch": HATCH if hatched else None,
            "gid": mark_id(mark)}


def bar_height(web: float) -> float:
    """A horizontal bar's height, in rows: thinner on a phone, where its name sits above it (:func:`name_bars`)."""
    return 0.45 if on_phone() else web


def name_bars(ax, positions: list[float], names: list[str], bold: list[bool], fontsize: float) -> None:
    """Name horizontal bars at ``positions``: on the left of the axes, which moves right to make
    room for the longest name; on a phone, above each bar at the axes' left edge, so the bars keep
    the phone's width."""
    ax.tick_params(axis="y", length=0, labelsize=fontsize, labelcolor=INK)
    if on_phone():  # set the axes' limits first: an inverted axis has its bars' tops below
        ax.set_yticks([])
        up = -1 if ax.yaxis_inverted() else 1
        for y, name, heavy in zip(positions, names, bold):
            ax.annotate(name, (0, y + up * bar_height(0) / 2), xycoords=ax.get_yaxis_transform(), xytext=(0, fontsize * 0.25),
                        textcoords="offset points", ha="left", va="bottom", fontsize=fontsize,
                        fontweight="bold" if heavy else "normal", color=INK)
        return
    room = max(len(name) for name in names) * fontsize * 0.6 / 72 / ax.figure.get_figwidth()
    box = ax.get_position()
    ax.set_position((box.x0 + room, box.y0, box.width - room, box.height))
    ax.set_yticks(positions, names)
    for tick, heavy in zip(ax.get_yticklabels(), bold):
        tick.set_fontweight("bold" if heavy else "normal")


def mark_id(mark: int) -> str:
    """The id of the artist that draws row ``mark`` of a chart's marks table."""
    return f"mark-{mark}"
