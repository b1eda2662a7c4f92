"""Colour contrast as WCAG 2.x defines it, for the pairs of text and ground we draw and write.

WCAG AA asks 4.5:1 for text (3:1 for large text and graphical objects); the house holds every
text/badge pair to 4.5:1. See https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio.
"""

from __future__ import annotations

from matplotlib.colors import to_rgb

AA_TEXT = 4.5


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a colour matplotlib understands ("#E69F00", "white").

    >>> relative_luminance("white"), relative_luminance("black")
    (1.0, 0.0)
    """
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in to_rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (none) to 21 (black on white); order does not
    matter.

    >>> round(contrast_ratio("white", "#E69F00"), 2)
    2.25
    >>> contrast_ratio("black", "white")
    21.0
    """
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
