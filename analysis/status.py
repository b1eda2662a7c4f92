"""How sure we are of a figure: the status words, their order, and the rounding rule.

Every row of every series carries one of these words, and every text that quotes a figure takes
its wording from it; they are defined here and nowhere else.

>>> weakest(PDF, TRANSCRIPTION)
'transcription'
>>> within_published_precision(-81.43, -81.4, decimals=1)
True
"""

from __future__ import annotations

PDF = "ncmec-pdf"  # parsed by our code from NCMEC's own PDF
PUBLISHED_BY_X = "published by X"  # parsed from X's own report
TRANSCRIPTION = "transcription"  # a named third party's transcription of a document we cite
DERIVED = "derived by a third party"  # statistics a named third party computed from the raw data
REPORTED_ONLY = "reported-only"  # only as quoted by someone (press, a post): nothing to check it with
UNVERIFIED = "unverified"  # a transcription without a source: may neither verify nor contradict

# From strongest to weakest: a computation is only as strong as its weakest input.
STRENGTH = (PDF, PUBLISHED_BY_X, TRANSCRIPTION, DERIVED, REPORTED_ONLY, UNVERIFIED)


def weakest(*statuses: str) -> str:
    unknown = set(statuses) - set(STRENGTH)
    if unknown:
        raise ValueError(f"unknown status {sorted(unknown)}; known: {STRENGTH}")
    return max(statuses, key=STRENGTH.index)


def publishable(status: str) -> bool:
    """Whether a figure of this status may be drawn or used to verify a claim."""
    return status != UNVERIFIED


def tolerance(decimals: int) -> float:
    """Half a unit of the last published digit: 81.4 covers 81.35 to 81.45."""
    return 0.5 * 10 ** -decimals


def within_published_precision(value: float, published: float, decimals: int) -> bool:
    """Whether ``value`` rounds to ``published`` at the published precision."""
    return abs(value - published) <= tolerance(decimals) + 1e-9
