"""The claims ledger (``data/claims.yaml``): every published figure, with what checking it must find.

A claim is read and validated here, and quoted by charts and notebooks (:func:`claim`); nothing here
computes. A claim either names a computation of :mod:`analysis.measures` (checked by
:mod:`analysis.verify`) or says why no data can check it (``reported-only`` or
``cannot-be-checked``, with the evidence it rests on). Its ``expected`` verdict and its ``evidence``
are what the check must find: the build refuses to draw when it finds otherwise, so what a claim
says of itself here is what readers are told (:meth:`Claim.status`).

>>> claim("x-ncmec-reports-2024").status(), claim("x-ncmec-reports-2023").status("fr")
('matches a third-party transcription', 'vérifié')
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from analysis import evidence, formatting, paths, safeyaml, tracking
from analysis.errors import DataError

LEDGER = paths.LEDGER
WITHOUT_DATA = (evidence.REPORTED_ONLY, evidence.CANNOT_BE_CHECKED)
UNITS = ("percent_change", "percent", "count", "rank", "people", "event")
KINDS = ("article", "derived", "context")  # context: figures from elsewhere that explain the article's
REQUIRED = ("id", "kind", "sentence_fr", "sentence_en", "published", "unit", "decimals", "period",
            "said_by", "relayed_by", "source_url", "expected", "evidence", "note")
OPTIONAL = ("compute", "without_data", "period_start", "period_end", "note_fr", "said_by_fr")
NULLABLE = ("published", "source_url")  # source_url: null where we did not record the document's address
URL_NOT_RECORDED = {"en": "URL not recorded", "fr": "URL non relevée"}
TRANSLATION_MARK = "[our translation of Next.ink’s French]"
# After a quotation of ours in French that translates an English source (NBC News): a translation set
# in quotation marks is marked as one, as the English of the article's quotes is.
TRANSLATION_MARK_FR = "[notre traduction]"
# Fields written by us, set in the house typography when the ledger is read; an article's French
# sentence is a verbatim quote and stays as printed.
OURS = {"sentence_en": "en", "note": "en", "said_by": "en", "relayed_by": "en", "period": "en"}
OURS_UNLESS_ARTICLE = {"sentence_fr": "fr"}  # derived and context sentences are ours
OURS_IN_FRENCH = {"note_fr": "fr", "said_by_fr": "fr"}  # our French for French readers, where given
# Ids are quoted by charts and readers: plain lowercase ASCII words joined by hyphens, so that no
# invisible character or look-alike letter can make two ids that read the same.
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Claim:
    id: str
    kind: str
    sentence_fr: str
    sentence_en: str
    published: float | None
    unit: str
    decimals: int
    period: str
    said_by: str
    relayed_by: str
    source_url: str | None  # None: not recorded (never a home page in its place)
    expected: str  # the verdict the check must find (analysis.evidence.VERDICTS)
    evidence: str  # what the claim must be found to rest on (analysis.evidence.EVIDENCE)
    note: str
    compute: dict | None = None
    without_data: str | None = None
    period_start: str | None = None  # "YYYY-MM", where a chart needs the period as dates
    period_end: str | None = None
    note_fr: str | None = None  # the note in French (a faithful translation of ``note``), where given
    said_by_fr: str | None = None  # who said it, in French, where given

    def note_in(self, lang: str) -> tuple[str, str]:
        """The note for readers of ``lang`` and the language it is in: English where no French is given."""
        return (self.note_fr, "fr") if lang == "fr" and self.note_fr else (self.note, "en")

    def said_by_in(self, lang: str) -> tuple[str, str]:
        """Who said it, for readers of ``lang``, and the language it is in."""
        return (self.said_by_fr, "fr") if lang == "fr" and self.said_by_fr else (self.said_by, "en")

    @property
    def tolerance(self) -> float | None:
        """See :func:`analysis.evidence.tolerance`; none for a claim nothing computes or an event."""
        return None if self.compute is None or self.unit == "event" else evidence.tolerance(self.decimals)

    @property
    def translated(self) -> bool:
        """Whether ``sentence_en`` is our translation of Next.ink's French (every article claim's
        is: we do not hold the English originals, such as X Safety's post)."""
        return self.kind == "article"

    def sentence(self, lang: str = "en") -> str:
        """The claim's sentence as published by us: an article's French verbatim, our English
        marked as a translation where it is one."""
        if lang == "fr":
            return self.sentence_fr
        return self.sentence_en + (f" {TRANSLATION_MARK}" if self.translated else "")

    @property
    def digest(self) -> str:
        """A digest of every field, so that quoting a claim makes its wording an input."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()

    def published_text(self, lang: str = "en") -> str:
        return format_value(self.published, self.unit, self.decimals, lang)

    def status(self, lang: str = "en") -> str:
        """The status readers see, from the verdict and evidence the ledger expects: what the build
        draws only once the check has found them (:func:`analysis.verify.check_all`)."""
        return evidence.status(self.expected, self.evidence, lang)


def source_text(url: str | None, lang: str = "en") -> str:
    """A source's address as readers see it: the URL, or "URL not recorded" in their language (for
    ``None`` and for a table's empty cell, which pandas reads as NaN)."""
    return url if isinstance(url, str) and url else URL_NOT_RECORDED[lang]


def format_value(value: float | None, unit: str, decimals: int, lang: str = "en") -> str:
    """A ledger value as published: changes signed, shares and levels not, counts grouped.

    >>> format_value(-81.4, "percent_change", 1, "fr")
    '−81,4\u202f%'
    """
    if value is None:
        return "—"
    if unit == "event":  # how many times it happened: the ledger's events are counted, not measured
        return {"fr": "aucun", "en": "none"}[lang] if value == 0 else formatting.format_number(value, lang)
    if unit in ("percent", "percent_change"):
        return formatting.format_percent(value, lang, decimals=decimals, signed=unit == "percent_change")
    return formatting.format_number(value, lang, decimals=decimals)


def _fail(message: str, path: Path, number: int, field: str | None = None, claim_id: str | None = None):
    who = f"claim {claim_id!r}" if claim_id else f"entry {number}"
    raise DataError(f"{who}: {message}", path=path, row=number, column=field)


def _parse(entry, number: int, path: Path) -> Claim:
    if not isinstance(entry, dict):
        _fail("is not a mapping of fields", path, number)
    claim_id = entry.get("id")
    for field in REQUIRED:
        if field not in entry or (entry[field] is None and field not in NULLABLE):
            _fail(f"missing field {field!r}", path, number, field, claim_id)
    _check_id(claim_id, path, number)
    unknown = set(entry) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        field = sorted(unknown)[0]
        _fail(f"unknown field {field!r}", path, number, field, claim_id)
    if entry["kind"] not in KINDS:
        _fail(f"unknown kind {entry['kind']!r}", path, number, "kind", claim_id)
    if entry["expected"] not in evidence.VERDICTS:
        _fail(f"unknown verdict {entry['expected']!r}; expected one of {evidence.VERDICTS}", path, number,
              "expected", claim_id)
    if entry["evidence"] not in evidence.EVIDENCE:
        _fail(f"unknown evidence {entry['evidence']!r}; expected one of {evidence.EVIDENCE}", path, number,
              "evidence", claim_id)
    if entry["evidence"] == evidence.SYNTHETIC:
        _fail("a claim cannot rest on synthetic data: it is never published", path, number, "evidence", claim_id)
    if entry["unit"] not in UNITS:
        _fail(f"unknown unit {entry['unit']!r}", path, number, "unit", claim_id)
    published = entry["published"]
    if published is not None and (isinstance(published, bool) or not isinstance(published, (int, float))
                                  or not math.isfinite(published)):
        _fail(f"published value {published!r} is not a number", path, number, "published", claim_id)
    if not isinstance(entry["decimals"], int) or isinstance(entry["decimals"], bool) or entry["decimals"] < 0:
        _fail(f"decimals {entry['decimals']!r} is not a whole number ≥ 0", path, number, "decimals", claim_id)
    has_compute, has_without = "compute" in entry, "without_data" in entry
    if has_compute == has_without:
        _fail("needs exactly one of 'compute' and 'without_data'", path, number, "compute", claim_id)
    if has_without and entry["without_data"] not in WITHOUT_DATA:
        _fail(f"without_data must be one of {WITHOUT_DATA}, got {entry['without_data']!r}", path,
              number, "without_data", claim_id)
    if has_compute:
        _check_compute_shape(entry["compute"], published, path, number, claim_id)
    url = entry["source_url"]
    if url is not None and not (isinstance(url, str) and re.fullmatch(r"https?://\S+", url)):
        _fail(f"source_url {url!r} is not an http(s) address (null if it was not recorded)", path, number,
              "source_url", claim_id)
    for field in ("period_start", "period_end"):
        if field in entry and not re.fullmatch(r"\d{4}-\d{2}", str(entry[field])):
            _fail(f"{field} {entry[field]!r} is not YYYY-MM", path, number, field, claim_id)
    ours = {**OURS, **(OURS_UNLESS_ARTICLE if entry["kind"] != "article" else {}),
            **{field: lang for field, lang in OURS_IN_FRENCH.items() if field in entry}}
    typeset = {field: formatting.house_typography(str(entry[field]), lang) for field, lang in ours.items()}
    return Claim(**{**entry, **typeset, "published": None if published is None else float(published)})


def _check_id(claim_id, path: Path, number: int) -> None:
    if isinstance(claim_id, str) and ID.fullmatch(claim_id):
        return
    odd = next((c for c in str(claim_id) if not re.fullmatch(r"[a-z0-9-]", c)), None)
    what = "" if odd is None else (f": it contains {unicodedata.name(odd, 'an unnamed character')} "
                                   f"(U+{ord(odd):04X})")
    _fail(f"id {claim_id!r} is not lowercase ASCII words joined by hyphens{what}", path, number, "id")


def identity(claim_id: str) -> str:
    """The form two ids are compared in: NFKC-normalised and case-folded, so that different
    Unicode spellings of the same text are the same id."""
    return unicodedata.normalize("NFKC", claim_id).casefold()


def _check_compute_shape(compute, published, path, number, claim_id) -> None:
    """A computation's form; whether it names a known measure is :mod:`analysis.verify`'s to check."""
    if not isinstance(compute, dict) or set(compute) - {"function", "args"} or "function" not in compute \
            or not isinstance(compute.get("args") or {}, dict):
        _fail("compute must be {function: NAME, args: {...}}", path, number, "compute", claim_id)
    if published is None:
        _fail("a computed claim needs a published value", path, number, "published", claim_id)


def load(path: Path = LEDGER) -> list[Claim]:
    """Parse and validate the ledger; one :class:`DataError` naming entry and field if it is bad."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError("ledger not found", path=path) from None
    return list(_parse_ledger(text, Path(path)))


def _where(text: str, mark) -> str:
    """The character a YAML error points at, and its place on the line (libyaml's message does
    not name it): `` (character 3: '\\t')``, or nothing without a mark.

    >>> print(_where("a: 1\\n\\tb: 2\\n", yaml.Mark("", 0, 1, 0, None, None)))
     (character 1: '\\t')
    """
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return f" (character {mark.column + 1}: {lines[mark.line][mark.column]!r})"


@functools.lru_cache(maxsize=4)
def _parse_ledger(text: str, path: Path) -> tuple[Claim, ...]:
    """The claims of one version of the ledger's text (parsed once per process and version)."""
    try:
        entries = safeyaml.load(text)  # no aliases, duplicate keys or unquoted dates
    except safeyaml.Refused as error:
        raise DataError(str(error), path=path) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DataError(f"not valid YAML: {getattr(error, 'problem', error)}{_where(text, mark)}", path=path,
                        row=None if mark is None else mark.line + 1) from None
    if not isinstance(entries, list):
        raise DataError("the ledger must be a list of claims", path=path)
    claims, seen = [], {}
    for number, entry in enumerate(entries, start=1):
        for field in ("sentence_fr", "sentence_en", "period", "said_by", "relayed_by", "note", "period_start",
                      "period_end", *OURS_IN_FRENCH):  # text we print: a YAML number or yes/no is not what was written
            if isinstance(entry, dict) and entry.get(field) is not None and not isinstance(entry[field], str):
                _fail(f"{field} {entry[field]!r} is read as a {type(entry[field]).__name__}, not as text "
                      f"(line {entry.line_of(field)}): write it in quotes", Path(path), number, field,
                      entry.get("id"))
        claim = _parse(entry, number, Path(path))
        if identity(claim.id) in seen:
            _fail(f"duplicate id (first used by entry {seen[identity(claim.id)]})", Path(path),
                  number, "id", claim.id)
        seen[identity(claim.id)] = number
        claims.append(claim)
    return tuple(claims)


def claim(claim_id: str, path: Path = LEDGER) -> Claim:
    """One claim by id, for charts and notebooks that quote it (the quote is recorded)."""
    for candidate in load(path):
        if candidate.id == claim_id:
            tracking.record("claims", candidate.id, candidate.digest)
            return candidate
    raise DataError(f"no claim with id {claim_id!r}", path=path)




