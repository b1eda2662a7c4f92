"""Whether a drawn chart can be read: no text off the canvas, none over other text or a badge,
none smaller than its size allows (6.5 pt in print; 12 CSS px at the width a screen shows it,
:attr:`~analysis.charts.style.Size.smallest_pt`).

:func:`boxes` measures every piece of text of a figure as it is drawn (matplotlib's own extents,
in points from the bottom-left corner, and its type size; a text with a box round it — a badge —
also gives its box), :func:`problems` says what collides or is too small, and the renderer refuses
to write a chart with any (:func:`check`). The same rules are applied to the PDF files themselves, from the characters
pdfplumber reads, by the tests.

>>> problems([Box("A", 0, 0, 10, 10), Box("B", 5, 5, 20, 20)], width=100, height=100)
["text 'A' overlaps text 'B'"]
>>> problems([Box("small", 0, 0, 10, 10, points=5.6)], width=100, height=100, smallest=6.5)
["text 'small' is 5.6 pt, under 6.5 pt"]
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

# Boxes closer than this (in points) do not count as overlapping: glyph extents include some air.
TOLERANCE = 0.5


class LayoutError(ValueError):
    """A chart whose texts collide or run off the page: it is not written."""


@dataclass(frozen=True)
class Box:
    """A drawn text's extent, in points from the figure's bottom-left corner."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    kind: str = "text"  # "text", or "badge": the box round a text
    owner: int | None = None  # which drawn text a box belongs to (a text and its badge share it)
    points: float = 0.0  # the text's type size, in points at the size drawn

    def overlaps(self, other: Box, tolerance: float = TOLERANCE) -> bool:
        return (min(self.x1, other.x1) - max(self.x0, other.x0) > tolerance
                and min(self.y1, other.y1) - max(self.y0, other.y0) > tolerance)

    def inside(self, width: float, height: float, tolerance: float = TOLERANCE) -> bool:
        return (self.x0 >= -tolerance and self.y0 >= -tolerance and self.x1 <= width + tolerance
                and self.y1 <= height + tolerance)

    def describe(self) -> str:
        return f"{self.kind} {' '.join(self.text.split())[:40]!r}"


def _drawn_texts(fig: Figure) -> list[Text]:
    """Every visible, non-empty text of the figure; of tick labels, those of ticks in view only
    (matplotlib keeps labels for ticks outside the axes' limits, which it does not draw)."""
    undrawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            shown = ax.axison and axis.get_visible()
            drawn = set(axis._update_ticks()) if shown else set()  # the ticks matplotlib draws
            for tick in axis.majorTicks + axis.minorTicks:
                if tick not in drawn:
                    undrawn.update((tick.label1, tick.label2))
    return [text for text in fig.findobj(Text)
            if text.get_visible() and text.get_text().strip() and text not in undrawn]


def boxes(fig: Figure) -> list[Box]:
    """The extent of every drawn text of ``fig`` (and of each badge's box), in points."""
    FigureCanvasAgg(fig)  # measure with the renderer the PNG is drawn with
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)  # places tick labels and badges' boxes
    to_points = 72 / fig.dpi
    found = []
    for owner, text in enumerate(_drawn_texts(fig)):
        content = text.get_text()
        extents = [("text", text.get_window_extent(renderer))]
        if text.get_bbox_patch() is not None:
            extents.append(("badge", text.get_bbox_patch().get_window_extent(renderer)))
        found += [Box(content, e.x0 * to_points, e.y0 * to_points, e.x1 * to_points, e.y1 * to_points,
                      kind, owner, text.get_fontsize()) for kind, e in extents]
    return found


def problems(found: list[Box], width: float, height: float, smallest: float = 0.0) -> list[str]:
    """What is wrong with a layout: boxes off the canvas (``width`` × ``height`` points), texts
    over texts, texts or badges over badges, texts set smaller than ``smallest`` points. A badge's
    own text sits on it by design."""
    messages = [f"{box.describe()} runs off the page" for box in found if not box.inside(width, height)]
    # Rounded as printed in the message; a hair under the floor (6.4999…) is float arithmetic, not small type.
    messages += [f"{box.describe()} is {box.points:.1f} pt, under {smallest:g} pt" for box in found
                 if box.kind == "text" and box.points < smallest - 1e-6]
    for i, first in enumerate(found):
        for second in found[i + 1:]:
            own_badge = first.owner is not None and first.owner == second.owner
            if not own_badge and first.overlaps(second):
                messages.append(f"{first.describe()} overlaps {second.describe()}")
    return messages


def check(fig: Figure, where: str, smallest: float = 0.0) -> None:
    """Raise :class:`LayoutError` naming every collision of ``fig`` and every text smaller than
    ``smallest`` points (``where``: chart, language, size)."""
    width, height = (length * 72 for length in fig.get_size_inches())
    found = problems(boxes(fig), width, height, smallest)
    if found:
        raise LayoutError(f"{where}: " + "; ".join(found))
