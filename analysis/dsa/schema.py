"""The Commission's vocabulary: the columns of the dumps' published layouts, the statement
categories, the territories, and the marks of our synthetic dumps.

The Commission has published several layouts (:data:`LAYOUTS`): every CSV part says which by its
header (:func:`detect_layout`); an unknown header is refused, naming the column.

>>> short_category(MINORS)
'protection_of_minors'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

from analysis.errors import DataError, UsageError

COLUMNS = (
    "uuid", "decision_visibility", "decision_visibility_other", "end_date_visibility_restriction",
    "decision_monetary", "decision_monetary_other", "end_date_monetary_restriction",
    "decision_provision", "end_date_service_restriction", "decision_account",
    "end_date_account_restriction", "account_type", "decision_ground",
    "decision_ground_reference_url", "illegal_content_legal_ground", "illegal_content_explanation",
    "incompatible_content_ground", "incompatible_content_explanation", "incompatible_content_illegal",
    "category", "category_addition", "category_specification", "category_specification_other",
    "content_type", "content_type_other", "content_language", "content_date", "content_id_ean",
    "territorial_scope", "application_date", "decision_facts", "source_type", "source_identity",
    "automated_detection", "automated_decision", "platform_name", "platform_uid", "created_at",
)
# Columns absent from some published layouts: stored as null for the days that lack them.
ADDED_LATER = ("content_id_ean",)
# The light dumps drop the long free-text fields and territorial_scope.
LIGHT_DROPPED = ("decision_visibility_other", "decision_monetary_other", "illegal_content_legal_ground",
                 "illegal_content_explanation", "incompatible_content_ground",
                 "incompatible_content_explanation", "category_specification_other",
                 "content_type_other", "decision_facts", "territorial_scope")
# What the analysis keeps, the same for every layout (a column a layout lacks is null); the
# multi-valued ones are JSON arrays inside the CSV cell, stored as such and parsed by the readers'
# view (analysis.dsa.query.connect).
KEPT = ("uuid", "decision_visibility", "decision_account", "decision_ground", "category",
        "category_addition", "content_type", "content_id_ean", "territorial_scope",
        "application_date", "content_date", "source_type", "automated_detection",
        "automated_decision", "platform_name", "created_at")
LISTS = ("decision_visibility", "category_addition", "content_type", "territorial_scope")
MINORS = "STATEMENT_CATEGORY_PROTECTION_OF_MINORS"
# The database's submission schema v2: the statement categories and keywords were revised from
# this day on (issue 15). Values are stored as published, so the layout is the same on both sides
# of it, but counts per category are not comparable across it without a mapping.
SCHEMA_CHANGE = dt.date(2025, 7, 1)
CATEGORY_PREFIX = "STATEMENT_CATEGORY_"
CATEGORY_PATTERN = re.compile(r"STATEMENT_CATEGORY_[A-Z_]+")
# The Commission's statement categories and when they are in use, as the published summary
# statistics (data/raw/dsa/, 2023-09-25 to 2026-01-10) hold them (a test checks the two agree):
# "both" on either side of SCHEMA_CHANGE, "before" or "from" it. The vocabulary we hold has
# names only, no definitions: `dsa categories` shows a name's own words, nothing more.
CATEGORIES = {
    "STATEMENT_CATEGORY_ANIMAL_WELFARE": "both",
    "STATEMENT_CATEGORY_CONSUMER_INFORMATION": "from",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE": "from",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN": "from",
    "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS": "both",
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH": "both",
    "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS": "both",
    "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS": "both",
    "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR": "before",
    "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE": "from",
    "STATEMENT_CATEGORY_OTHER_VIOLATION_TC": "from",
    "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT": "before",
    "STATEMENT_CATEGORY_PROTECTION_OF_MINORS": "both",
    "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY": "both",
    "STATEMENT_CATEGORY_SCAMS_AND_FRAUD": "both",
    "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE": "before",
    "STATEMENT_CATEGORY_SELF_HARM": "both",
    "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS": "before",
    "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS": "from",
    "STATEMENT_CATEGORY_VIOLENCE": "both",
}
# Every code the Commission's vocabulary allows in territorial_scope: the EU member states and the
# three other EEA states (Iceland, Liechtenstein, Norway).
EU = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
      "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
EEA_ONLY = ("IS", "LI", "NO")
TERRITORIES = tuple(sorted(EU + EEA_ONLY))


def short_category(full: str) -> str:
    """A category's short name: its full name without the prefix, in lower case.

    >>> short_category("STATEMENT_CATEGORY_PROTECTION_OF_MINORS")
    'protection_of_minors'
    """
    return full.removeprefix(CATEGORY_PREFIX).lower()


def category_words(full: str) -> str:
    """A category in the plain words of its own name (the only meaning the vocabulary gives).

    >>> category_words("STATEMENT_CATEGORY_SCAMS_AND_FRAUD")
    'scams and fraud'
    """
    return short_category(full).replace("_", " ")


def category_in_use(full: str) -> str:
    """When a category of :data:`CATEGORIES` is in use, in words."""
    return {"both": "throughout", "before": f"before {SCHEMA_CHANGE}",
            "from": f"from {SCHEMA_CHANGE}"}[CATEGORIES[full]]


def category_name(name: str) -> str:
    """The Commission's full name of a statement category given in full or short, in any case
    (``protection_of_minors``, ``STATEMENT_CATEGORY_PROTECTION_OF_MINORS``). A full name in the
    Commission's form that :data:`CATEGORIES` lacks is returned as typed, for the data to answer
    (dumps newer than our list may carry a new category); anything else unknown is a
    :class:`UsageError` naming the closest real categories.

    >>> category_name("Protection_Of_Minors")
    'STATEMENT_CATEGORY_PROTECTION_OF_MINORS'
    """
    from analysis.dsa.names import ascii_folded, check_typed, look_alikes

    check_typed("--category", name)
    if not name.isascii():
        folded, hint = ascii_folded(name), None
        if folded.isascii():
            try:
                hint = category_name(folded)  # the real category it imitates
            except UsageError:
                pass
        raise UsageError(f"unknown category {name!r}{look_alikes(name)}"
                         + (f"; did you mean {hint!r}?" if hint else ""))
    short = short_category(name.strip().upper())
    full = CATEGORY_PREFIX + short.upper()
    if full in CATEGORIES:
        return full
    if CATEGORY_PATTERN.fullmatch(name):
        return name
    shorts = {short_category(c): c for c in CATEGORIES}
    # close in spelling, or containing what was typed ("minors")
    near = get_close_matches(short, list(shorts), n=3, cutoff=0.6) + [s for s in shorts if short and short in s]
    hint = ", ".join(f"{shorts[s]!r} ({s})" for s in dict.fromkeys(near))
    raise UsageError(f"unknown category {name!r}; " + (f"did you mean {hint}?" if hint else
                     "`python -m analysis dsa categories` lists them"))


@dataclass(frozen=True)
class Layout:
    """One published CSV layout: ``name`` (``full-38``…), ``variant`` (full or light), columns."""
    name: str
    variant: str
    columns: tuple[str, ...]


def _layouts() -> dict[tuple[str, ...], Layout]:
    light = tuple(c for c in COLUMNS if c not in LIGHT_DROPPED)
    found = {}
    for variant, columns in (("full", COLUMNS), ("light", light)):
        for kept in (columns, tuple(c for c in columns if c not in ADDED_LATER)):
            found[kept] = Layout(f"{variant}-{len(kept)}", variant, kept)
    return found


# Every layout published so far: full dumps with 38 columns (with content_id_ean) or 37 (the
# older files, e.g. 2024-03-14), and light dumps without the free-text fields, with or without it.
LAYOUTS = _layouts()


def detect_layout(header: list[str], name: str, where: str | Path) -> Layout:
    """The published layout whose columns are exactly ``header``; otherwise a :class:`DataError`
    naming the first missing or unexpected column against the nearest layout."""
    found = LAYOUTS.get(tuple(header))
    if found:
        return found
    nearest = min(LAYOUTS.values(), key=lambda candidate: len(set(candidate.columns) ^ set(header)))
    missing = [c for c in nearest.columns if c not in header]
    unexpected = [c for c in header if c not in nearest.columns]
    column = (missing or unexpected or [next((h for h, c in zip(header, nearest.columns) if h != c), "order")])[0]
    def listed(columns: list[str]) -> str:
        return str(columns[:8])[:-1] + (f", … {len(columns) - 8} more]" if len(columns) > 8 else "]")

    raise DataError(f"{name}: columns differ from every published layout (nearest: {nearest.name}): "
                    f"missing {listed(missing)}, unexpected {listed(unexpected)}"
                    + ("" if missing or unexpected else ", same columns in another order"),
                    path=where, column=column)


# Marks every synthetic dump carries (analysis.dsa.synth), checked at ingest whatever the file's
# name: the outer zip's comment, and the first record of each part.
SYNTHETIC_COMMENT = b"SYNTHETIC"
SYNTHETIC_UID_PREFIX = "synthetic-"
SYNTHETIC_FACTS_PREFIX = "Synthetic facts"
