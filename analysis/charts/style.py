"""The house style every chart uses: font, sizes, palette, and the frame of texts around a chart.

- Font: DejaVu Sans as shipped inside matplotlib's own wheel (nothing downloaded, and the same
  glyphs on every machine, which byte-reproducible files need). It has the typographic minus and
  the French no-break spaces.
- Sizes: web, 1200×675 px drawn at 2× (a 2400×1350 PNG); print, 180 × 110 mm (PDF, vector).
  Each size has its own type scale: a chart draws its type in web points through :func:`pt`,
  which scales them to the size being drawn (inside :func:`sized`), so the print page is laid
  out for print, not shrunk from the screen.
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
from matplotlib.figure import Figure

from analysis import evidence

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


@dataclass(frozen=True)
class Size:
    name: str
    width_in: float
    height_in: float
    dpi: int
    scale: int = 1
    type_scale: float = 1.0  # type size relative to the web layout's
    smallest_pt: float = 0.0  # no text may be drawn smaller, in points at this size (the renderer refuses it)

    @property
    def width_px(self) -> int:
        return round(self.width_in * self.dpi / self.scale)

    @property
    def height_px(self) -> int:
        return round(self.height_in * self.dpi / self.scale)


WEB = Size("web", 12.0, 6.75, dpi=200, scale=2)  # 100 px per inch of layout, drawn at 2×
# Print type is a little larger than the page's ratio to the screen (0.59), and never under 6.5 pt
# (legible on paper): at this scale a chart's smallest type is 10.5 web points (:data:`SMALLEST`).
PRINT = Size("print", 180 / 25.4, 110 / 25.4, dpi=300, type_scale=0.62, smallest_pt=6.5)
BASE_FONT_SIZE = 13
SMALLEST = 10.5  # web points: the smallest type a chart may ask :func:`pt` for (6.5 pt in print)

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
    "svg.fonttype": "path",  # glyphs as paths: the SVG looks the same without the font
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


@contextlib.contextmanager
def sized(size: Size) -> Iterator[None]:
    """Draw for ``size`` inside the block: the base font (ticks, labels) and :func:`pt` follow its
    type scale. Call it inside :func:`house_style`."""
    with plt.rc_context({"font.size": BASE_FONT_SIZE * size.type_scale}):
        yield


def pt(points: float) -> float:
    """A length in web points (type sizes, offsets), for the size being drawn (:func:`sized`)."""
    return points * plt.rcParams["font.size"] / BASE_FONT_SIZE


def wrap_to(text: str, chars: int) -> str:
    """Wrap ``text`` at ``chars`` characters a line."""
    return textwrap.fill(text, chars)


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


def frame(texts: Texts, size: Size):
    """A figure with the house frame drawn and one axes for the chart; returns ``(fig, ax)``.
    Call it inside :func:`house_style` and :func:`sized`. Each text block is placed below the one
    above it, at the height its wrapped lines take at this size's type."""
    fig = Figure(figsize=(size.width_in, size.height_in))  # no pyplot: no global figure to close
    fonts = {"title": pt(22), "subtitle": pt(14), "foot": pt(10.5), "badge": pt(11)}
    height_pt = size.height_in * 72

    y = 1 - 0.045
    title = wrap(texts.title, size, fonts["title"], em=0.62)  # bold is wider
    fig.text(LEFT, y, title, fontsize=fonts["title"], fontweight="bold", va="top", ha="left")
    y -= (title.count("\n") + 1) * fonts["title"] * 1.25 / height_pt + 0.01
    subtitle = wrap(texts.subtitle, size, fonts["subtitle"])
    fig.text(LEFT, y, subtitle, fontsize=fonts["subtitle"], color=SUBTLE, va="top", ha="left")
    y -= (subtitle.count("\n") + 1) * fonts["subtitle"] * 1.3 / height_pt
    if texts.badge:
        y -= fonts["badge"] * 0.8 / height_pt
        fig.text(LEFT + 0.004, y, texts.badge, va="top", ha="left", **badge_style(fonts["badge"], REPORTED))
        y -= fonts["badge"] * 1.9 / height_pt
    top = y - 0.045

    foot = "\n".join(part for part in (texts.notes, texts.source) if part)
    foot = wrap(foot, size, fonts["foot"], em=0.62)  # leaves room for the credit
    fig.text(LEFT, 0.03, foot, fontsize=fonts["foot"], color=SUBTLE, va="bottom", ha="left",
             linespacing=1.35)
    if texts.credit:
        fig.text(RIGHT, 0.03, texts.credit, fontsize=fonts["foot"], color=SUBTLE, va="bottom",
                 ha="right", fontweight="bold")
    bottom = 0.03 + (foot.count("\n") + 1) * fonts["foot"] * 1.35 / height_pt + 0.09
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


def badge_style(fontsize: float, colour: str) -> dict:
    """The keyword arguments of ``text()`` for a badge: white bold type on a rounded ``colour``
    box (the layout check knows a badge by its box)."""
    return {"fontsize": fontsize, "color": "white", "fontweight": "bold",
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


def mark_id(mark: int) -> str:
    """The id of the artist that draws row ``mark`` of a chart's marks table."""
    return f"mark-{mark}"
