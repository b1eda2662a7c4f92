"""Checking the ledger: each claim's computation run again on the data, its verdict and evidence found.

:func:`check_all` compares what it finds with each claim's ``expected`` verdict and ``evidence``
(:mod:`analysis.claims`), so a data change that flips a claim, or changes what it rests on, is
caught before anything is published. The status readers see is derived from both
(:func:`analysis.evidence.status`).

>>> results = {r.claim.id: r for r in check_all()}
>>> results["x-ncmec-reports-2024"].status(), results["x-transparency-report"].status()
('matches a third-party transcription', 'contradicted by a primary document')
>>> results["x-ncmec-reports-2023"].status("fr")
'vérifié'
"""

from __future__ import annotations

import dataclasses
import inspect
import json
from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

from analysis import cache, evidence, fingerprints, formatting, measures, tracking
from analysis.claims import LEDGER, Claim, format_value, load
from analysis.errors import DataError
from analysis.files import write_text


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



def load_checked(path: Path = LEDGER) -> list[Claim]:
    """The ledger (:func:`analysis.claims.load`), each computation checked to name a measure of
    :mod:`analysis.measures` with arguments that fit it; one :class:`DataError` naming the entry otherwise."""
    claims = load(path)
    for number, claim in enumerate(claims, start=1):
        if claim.compute is not None:
            _check_compute(claim, number, Path(path))
    return claims


def _check_compute(claim: Claim, number: int, path: Path) -> None:
    def fail(message: str):
        raise DataError(f"claim {claim.id!r}: {message}", path=path, row=number, column="compute")

    function = measures.MEASURES.get(claim.compute["function"])
    if function is None:
        fail(f"unknown function {claim.compute['function']!r}; known: {sorted(measures.MEASURES)}")
    try:
        inspect.signature(function).bind(**(claim.compute.get("args") or {}))
    except TypeError as error:
        fail(f"arguments do not fit {claim.compute['function']}: {error}")


def evaluate(claim: Claim) -> Result:
    """Recompute one claim and find its verdict and evidence; the result keeps what the computation read."""
    tracking.record("claims", claim.id, claim.digest)
    if claim.compute is None:
        return Result(claim, None, claim.without_data, claim.evidence)
    with tracking.recording() as reads:
        measure = measures.MEASURES[claim.compute["function"]](**(claim.compute.get("args") or {}))
    return Result(claim, measure, _verdict(claim, measure), measure.evidence, reads)


def _verdict(claim: Claim, measure: measures.Measure) -> str:
    if not evidence.publishable(measure.evidence):
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
        return [evaluate(claim) for claim in load_checked(path)]
    state = fingerprints.State.now(path)
    saved = cache.read_index(Path(remembered))  # missing, truncated or damaged: {}, all recomputed
    results = []
    for claim in load_checked(path):
        result = _remembered(claim, saved.get(claim.id), state)
        if result is None:
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


def _remembered(claim: Claim, entry: object, state) -> Result | None:
    """The claim's remembered result, if its entry is intact and its fingerprint unchanged."""
    try:
        reads = tracking.Reads.from_dict(entry["reads"])
        if entry["fingerprint"] != _fingerprint(claim, reads, state):
            return None
        computed = None if entry["computed"] is None else measures.Measure(**entry["computed"])
        return Result(claim, computed, entry["verdict"], entry["evidence"], reads)
    except (KeyError, TypeError, ValueError, AttributeError):  # absent or damaged: computed again
        return None


def _fingerprint(claim: Claim, reads: tracking.Reads, state) -> str:
    return fingerprints.fingerprint(claim.id, (measures.__name__,), reads, state)
