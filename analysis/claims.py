"""The claims ledger (``data/claims.yaml``): every published figure, checked against the data.

A claim either names a computation in :mod:`analysis.measures` (its verdict is then *found*:
``matches`` when the recomputed value rounds to the published one, ``contradicted`` when it does
not, ``cannot-be-checked`` when the inputs are unsourced; its evidence is what the computation
read) or says why no data can check it (``reported-only`` or ``cannot-be-checked``, with the
evidence it rests on). :func:`check_all` compares each found verdict and evidence with the
ledger's ``expected`` and ``evidence``, so a data change that flips a claim, or changes what it
rests on, is caught. The status readers see is derived from both (:func:`analysis.evidence.status`).

>>> results = {r.claim.id: r for r in check_all()}
>>> results["x-ncmec-reports-2024"].status(), results["x-transparency-report"].status()
('matches a third-party transcription', 'contradicted by a primary document')
>>> results["x-ncmec-reports-2023"].status("fr")
'vérifié'
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import yaml

from analysis import evidence, formatting, measures, paths, safeyaml, tracking
from analysis.errors import DataError
from analysis.files import write_text

LEDGER = paths.LEDGER
WITHOUT_DATA = (evidence.REPORTED_ONLY, evidence.CANNOT_BE_CHECKED)
UNITS = ("percent_change", "percent", "count", "rank", "people", "event")
KINDS = ("article", "derived", "context")  # context: figures from elsewhere that explain the article's
REQUIRED = ("id", "kind", "sentence_fr", "sentence_en", "published", "unit", "decimals", "period",
            "said_by", "relayed_by", "source_url", "expected", "evidence", "note")
OPTIONAL = ("compute", "without_data", "period_start", "period_end")
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


@dataclass(frozen=True)
class Result:
    claim: Claim
    computed: measures.Measure | None
    verdict: str
    evidence: str
    reads: tracking.Reads = dataclass_field(default_factory=tracking.Reads, compare=False)

    def status(self, lang: str = "en") -> str:
        """What readers see: "verified" only where the claim matches a primary document."""
        return evidence.status(self.verdict, self.evidence, lang)

    @property
    def verified(self) -> bool:
        return evidence.verified(self.verdict, self.evidence)

    def computed_text(self, lang: str = "en") -> str:
        """The recomputed value, one digit finer than published for percents; "—" if none; for
        an event claim, the events found with their dates."""
        if self.computed is None:
            return "—"
        c = self.claim
        if c.unit == "event":
            return "; ".join(f"{what} ({formatting.format_day(day, lang)})" for what, day in self.computed.events) \
                or format_value(0, c.unit, 0, lang)
        return format_value(self.computed.value, c.unit,
                            c.decimals + 1 if c.unit.startswith("percent") else c.decimals, lang)

    @property
    def as_expected(self) -> bool:
        return (self.verdict, self.evidence) == (self.claim.expected, self.claim.evidence)

    def expected_text(self) -> str:
        """What changed, for a claim that is not as the ledger expects."""
        c = self.claim
        return (f"{c.id} (expected {c.expected} on {c.evidence} evidence, found {self.verdict} on "
                f"{self.evidence} evidence)")

    def readers_row(self, lang: str = "en") -> dict:
        """The result as a table shows it to readers: values as published (house formatting, never
        a raw float), the status and what it is derived from, who said it."""
        c = self.claim
        return {"id": c.id, "published": c.published_text(lang), "recomputed": self.computed_text(lang),
                "status": self.status(lang), "verdict": self.verdict, "evidence": self.evidence,
                "said by": c.said_by, "period": c.period}

    def as_dict(self) -> dict:
        return {
            "id": self.claim.id, "kind": self.claim.kind, "published": self.claim.published,
            "unit": self.claim.unit, "computed": None if self.computed is None else self.computed.value,
            "events": [] if self.computed is None else [{"what": what, "date": day} for what, day in self.computed.events],
            "evidence": self.evidence, "verdict": self.verdict, "status": self.status("en"),
            "status_fr": self.status("fr"), "verified": self.verified,
            "expected": {"verdict": self.claim.expected, "evidence": self.claim.evidence},
            "tolerance": self.claim.tolerance,
            "resources": sorted(self.reads.resources),
            "source": self.claim.said_by, "relayed_by": self.claim.relayed_by,
            "source_url": self.claim.source_url, "period": self.claim.period, "note": self.claim.note,
        }


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
        _check_compute(entry["compute"], published, path, number, claim_id)
    url = entry["source_url"]
    if url is not None and not (isinstance(url, str) and re.fullmatch(r"https?://\S+", url)):
        _fail(f"source_url {url!r} is not an http(s) address (null if it was not recorded)", path, number,
              "source_url", claim_id)
    for field in ("period_start", "period_end"):
        if field in entry and not re.fullmatch(r"\d{4}-\d{2}", str(entry[field])):
            _fail(f"{field} {entry[field]!r} is not YYYY-MM", path, number, field, claim_id)
    ours = {**OURS, **(OURS_UNLESS_ARTICLE if entry["kind"] != "article" else {})}
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


def _check_compute(compute, published, path, number, claim_id) -> None:
    if not isinstance(compute, dict) or set(compute) - {"function", "args"} or "function" not in compute:
        _fail("compute must be {function: NAME, args: {...}}", path, number, "compute", claim_id)
    function = measures.MEASURES.get(compute["function"])
    if function is None:
        _fail(f"unknown function {compute['function']!r}; known: {sorted(measures.MEASURES)}", path,
              number, "compute", claim_id)
    try:
        inspect.signature(function).bind(**(compute.get("args") or {}))
    except TypeError as error:
        _fail(f"arguments do not fit {compute['function']}: {error}", path, number, "compute", claim_id)
    if published is None:
        _fail("a computed claim needs a published value", path, number, "published", claim_id)


def load(path: Path = LEDGER) -> list[Claim]:
    """Parse and validate the ledger; one :class:`DataError` naming entry and field if it is bad."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError("ledger not found", path=path) from None
    return list(_parse_ledger(text, Path(path)))


@functools.lru_cache(maxsize=4)
def _parse_ledger(text: str, path: Path) -> tuple[Claim, ...]:
    """The claims of one version of the ledger's text (parsed once per process and version)."""
    try:
        entries = safeyaml.load(text)  # no aliases, duplicate keys or unquoted dates
    except safeyaml.Refused as error:
        raise DataError(str(error), path=path) from None
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        raise DataError(f"not valid YAML: {getattr(error, 'problem', error)}", path=path,
                        row=None if line is None else line + 1) from None
    if not isinstance(entries, list):
        raise DataError("the ledger must be a list of claims", path=path)
    claims, seen = [], {}
    for number, entry in enumerate(entries, start=1):
        for field in ("sentence_fr", "sentence_en", "period", "said_by", "relayed_by", "note", "period_start",
                      "period_end"):  # text we print: a YAML number or yes/no is not what was written
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


def evaluate(claim: Claim) -> Result:
    """Recompute one claim and find its verdict and evidence; the result keeps what the computation read."""
    tracking.record("claims", claim.id, claim.digest)
    if claim.compute is None:
        return Result(claim, None, claim.without_data, claim.evidence)
    with tracking.recording() as reads:
        measure = measures.MEASURES[claim.compute["function"]](**(claim.compute.get("args") or {}))
    return Result(claim, measure, _verdict(claim, measure), measure.evidence, reads)


def _verdict(claim: Claim, measure: measures.Measure) -> str:
    if not evidence.can_check(measure.evidence):
        return evidence.CANNOT_BE_CHECKED
    if evidence.within_published_precision(measure.value, claim.published, claim.decimals):
        return evidence.MATCHES
    return evidence.CONTRADICTED


def check_all(path: Path = LEDGER, remembered: Path | None = None) -> list[Result]:
    """Every claim of the ledger, evaluated. With ``remembered`` (a JSON file), each result is
    stored with what computing it read, and a claim is computed again only when its fingerprint
    changed (:mod:`analysis.fingerprints`): a rebuild that changed nothing checks the ledger
    without recomputing it."""
    if remembered is None:
        return [evaluate(claim) for claim in load(path)]
    from analysis import fingerprints  # it imports this module's readers of the ledger

    state = fingerprints.State.now(path)
    saved = json.loads(Path(remembered).read_text()) if Path(remembered).exists() else {}
    results = []
    for claim in load(path):
        entry = saved.get(claim.id)
        if entry and "verdict" in entry and \
                entry["fingerprint"] == _fingerprint(claim, tracking.Reads.from_dict(entry["reads"]), state):
            computed = None if entry["computed"] is None else measures.Measure(**entry["computed"])
            result = Result(claim, computed, entry["verdict"], entry["evidence"], tracking.Reads.from_dict(entry["reads"]))
        else:
            with tracking.recording() as reads:
                result = evaluate(claim)
            result = dataclasses.replace(result, reads=reads)
            saved[claim.id] = {"fingerprint": _fingerprint(claim, reads, state), "verdict": result.verdict,
                               "evidence": result.evidence,
                               "computed": None if result.computed is None else asdict(result.computed),
                               "reads": reads.as_dict()}
        results.append(result)
    write_text(Path(remembered), json.dumps(saved, indent=1, sort_keys=True))
    return results


def _fingerprint(claim: Claim, reads: tracking.Reads, state) -> str:
    from analysis import fingerprints

    return fingerprints.fingerprint(claim.id, (measures.__name__,), reads, state)


def claim(claim_id: str, path: Path = LEDGER) -> Claim:
    """One claim by id, for charts and notebooks that quote it (the quote is recorded)."""
    for candidate in load(path):
        if candidate.id == claim_id:
            tracking.record("claims", candidate.id, candidate.digest)
            return candidate
    raise DataError(f"no claim with id {claim_id!r}", path=path)




# What each evidence grade means for a claim that rests on it, in the README and the notebooks.
RESTS_ON = {
    evidence.PRIMARY: "the producer's own document (NCMEC's PDF, X's own report), read by our code",
    evidence.TRANSCRIPTION: "a named third party's transcription of a primary document we do not hold",
    evidence.THIRD_PARTY_STATISTICS: "statistics a named third party computed from the public raw data "
                                     "(shantay's summary of the DSA database; we have not recounted the raw data)",
    evidence.REPORTED: "who said it (no public data can check it)",
    evidence.ARITHMETIC_ON_REPORTED: "our arithmetic on figures someone reported (the arithmetic is "
                                     "checked, not the figures)",
    evidence.UNSOURCED: "a transcription that cites no document",
    evidence.COLLECTED: "data we collected ourselves",
}


def explanation(result: Result) -> str:
    """One plain-English Markdown paragraph saying what a claim's status means for that claim."""
    c = result.claim
    relayed = "" if c.relayed_by in ("—", "") else f", relayed by {c.relayed_by}"
    found = ("" if result.computed is None else f" We recompute {result.computed_text()}.")
    return formatting.house_typography(
        f"**{c.id}** — *{c.sentence()}* Published: {c.published_text()}. Said by {c.said_by}"
        f"{relayed}. **{result.status()}**: it rests on {RESTS_ON[result.evidence]}.{found} {c.note} "
        + (f"[Source]({c.source_url})" if c.source_url else f"Source: {source_text(None)}."), "en")


def table(results: list[Result]) -> str:
    """The fact-check as a fixed-width text table: the status readers see, then the verdict and
    evidence it is derived from."""
    header = ("id", "published", "recomputed", "status", "verdict", "evidence", "tolerance")
    rows = [header]
    for r in results:
        c = r.claim
        tolerance = "—" if c.tolerance is None else f"±{c.tolerance:g}"
        flag = "" if r.as_expected else f"  ≠ expected {c.expected} on {c.evidence}"
        rows.append((c.id, c.published_text(), r.computed_text(), r.status(), r.verdict, r.evidence, tolerance + flag))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    counts = Counter(r.status() for r in _by_strength(results))
    summary = "; ".join(f"{count} {word}" for word, count in counts.items())
    return "\n".join([*("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1]
                        for row in rows), "", f"{len(results)} claims: {summary}"])


def _by_strength(results: list[Result]) -> list[Result]:
    """Verified first, then by what each rests on and what its check found."""
    return sorted(results, key=lambda r: (evidence.VERDICTS.index(r.verdict), evidence.EVIDENCE.index(r.evidence)))


README_START = "<!-- verified-and-not: generated by analysis.claims.readme_section; do not edit by hand -->"
README_END = "<!-- end verified-and-not -->"


def readme_section(results: list[Result]) -> str:
    """The README's "What is verified and what is not", from the ledger's results: one line per
    status readers see, saying what those claims rest on."""
    groups: dict[tuple[str, str], list[Result]] = {}
    for r in _by_strength(results):
        groups.setdefault((r.status(), r.evidence), []).append(r)
    lines = [README_START, "", f"{len(results)} figures in the ledger (`python -m analysis verify` for the detail):", ""]
    for (word, _), members in groups.items():
        items = "; ".join(f"`{r.claim.id}` ({r.claim.published_text()}, {r.claim.said_by})" for r in members)
        count = f"{len(members)} claim{'s' if len(members) > 1 else ''}"
        lines.append(f"- **{word}** ({count}), resting on {RESTS_ON[members[0].evidence]}: {items}.")
    return formatting.house_typography("\n".join([*lines, "", README_END]), "en")


def update_readme(readme: Path = paths.ROOT / "README.md") -> None:
    """Rewrite the README's generated section from the ledger as it is now."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(README_START), text.index(README_END) + len(README_END)
    readme.write_text(text[:start] + readme_section(check_all()) + text[end:], encoding="utf-8")
