"""Fingerprints: one hash of everything an output depends on, from what computing it read.

A chart's files and a claim's status are each stored with the record of what computing them read
(:mod:`analysis.tracking`). Their fingerprint hashes, as they are *now*: the hash of every
resource read and the answer to every listing (:func:`analysis.datapackage.current`), the
ledger entries quoted, the versions of the libraries that parsed or drew, and the source of every
module of the computing code (:mod:`analysis.codebase`). An output whose stored fingerprint equals
today's needs no recomputing; nothing about it is listed by hand.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from analysis import claims, codebase, datapackage, paths, tracking


@dataclass(frozen=True)
class State:
    """What an output may depend on besides its data, as it is now: the package's code and the
    ledger. ``libraries`` overrides installed versions (to ask "what if pdfplumber changed")."""

    code: dict[str, str]
    ledger: dict[str, str]
    libraries: dict[str, str] = field(default_factory=dict)

    @classmethod
    def now(cls, ledger=paths.LEDGER) -> State:
        return cls(codebase.digests(), {claim.id: claim.digest for claim in claims.load(ledger)})

    def library(self, name: str) -> str:
        """The version of library ``name``, looked up once per state (importlib.metadata reads the
        installed package's metadata files at every call: ~2 ms, a thousand calls in a session)."""
        if name not in self.libraries:
            self.libraries[name] = tracking.library_version(name)
        return self.libraries[name]


def fingerprint(label: str, modules: tuple[str, ...], reads: tracking.Reads, state: State) -> str:
    """A hash of everything an output called ``label``, computed by ``modules`` (and all they
    import), depends on, given what computing it read."""
    now = datapackage.current(reads)
    parts = {
        "output": label,
        "code": codebase.code_state(*modules, code=state.code),
        "resources": now.resources, "listings": now.listings,
        "claims": {claim_id: state.ledger.get(claim_id, "missing") for claim_id in sorted(reads.claims)},
        "libraries": {name: state.library(name) for name in sorted(reads.libraries)},
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
