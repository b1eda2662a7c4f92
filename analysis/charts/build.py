"""Build every chart in every language, incrementally, and write ``figures/figures.json``.

A chart is re-rendered only when one of its inputs changed: the checksums of the data-package
resources it reads, the ledger entries it quotes, its own code, or the shared code it runs on
(style, rendering, formatting, loaders). The fingerprints live in ``<out>/.cache/state.json``;
a build whose fingerprints all match and whose files are intact renders nothing.

The readers' gallery (``index.html``) is rewritten last. Before anything is drawn the claims
ledger is checked: if a claim's status differs from the one
expected, nothing is built.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from dataclasses import asdict
from pathlib import Path

import matplotlib
import yaml

from analysis import (changes, claims, datapackage, formatting, measures, paths, pdftables,
                      rankings, synthetic, validate)
from analysis.charts import catalog, gallery, render, style
from analysis.errors import DataError
from analysis.files import atomic_write, sha256, write_text
from analysis.sources import ncmec, x

LANGS = ("fr", "en")
SHARED_CODE = (style, render, formatting, changes, claims, measures, rankings, validate,
               pdftables, ncmec, x, catalog.Chart, catalog._colon)


class ClaimsChanged(DataError):
    """The ledger no longer matches the data: publishing would print a number we cannot stand by."""


class SyntheticInput(DataError):
    """A chart would be drawn from synthetic data."""


def refuse_synthetic(chart: catalog.Chart) -> None:
    for name in chart.resource_names():
        path = datapackage.verified_path(name)
        if synthetic.is_synthetic(path):
            raise SyntheticInput(f"chart {chart.id} reads synthetic data ({name}): never published",
                                 path=path)


def check_claims() -> list[claims.Result]:
    results = claims.check_all()
    changed = [r for r in results if not r.as_expected]
    if changed:
        raise ClaimsChanged("claims changed status, not building: " + ", ".join(
            f"{r.claim.id} (expected {r.claim.expected}, found {r.status})" for r in changed),
            path=claims.LEDGER)
    return results


def fingerprint(chart: catalog.Chart, lang: str, ledger: dict[str, claims.Claim]) -> str:
    """A hash of everything the chart's files depend on."""
    digest = hashlib.sha256()
    parts = [chart.id, lang, matplotlib.__version__]
    parts += [datapackage.resource(name)["hash"] for name in chart.resource_names()]
    parts += [yaml.safe_dump(asdict(ledger[claim_id]), sort_keys=True) for claim_id in chart.claims]
    parts += chart.other_inputs()
    parts += [inspect.getsource(obj) for obj in (chart.load, chart.texts, chart.draw, *SHARED_CODE)]
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _intact(out_dir: Path, files: dict[str, str]) -> bool:
    return all((out_dir / name).exists() and sha256(out_dir / name) == digest
               for name, digest in files.items())


def update_references(manifest: list[dict], out_dir: Path, references: Path = paths.REFERENCE_IMAGES) -> int:
    """Copy the built PNGs over the regression tests' reference images (a deliberate act)."""
    count = 0
    for entry in manifest:
        for name in entry["files"]:
            if name.endswith(".png"):
                with atomic_write(references / name) as handle:
                    handle.write((Path(out_dir) / name).read_bytes())
                count += 1
    return count


def _manifest_entry(chart: catalog.Chart, lang: str, entry: dict) -> dict:
    return {"id": chart.id, "lang": lang, "title": entry["texts"]["title"],
            "alt": entry["texts"]["alt"], "source": entry["texts"]["source"],
            "resources": chart.resource_names(), "claims": list(chart.claims), "files": entry["files"]}


def build(langs=LANGS, out_dir: Path = paths.FIGURES, log=print) -> list[dict]:
    """Render what changed; return the manifest (also written to ``figures.json``).

    The manifest lists every chart and language whose files are current, so building one
    language keeps the other's entries.
    """
    for chart in catalog.CHARTS.values():
        refuse_synthetic(chart)
    results = check_claims()
    ledger = {result.claim.id: result.claim for result in results}
    out_dir = Path(out_dir)
    state_path = out_dir / ".cache" / "state.json"
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    manifest = []
    for chart in catalog.CHARTS.values():
        if not chart.available():
            log(f"no data yet {chart.id}")
            continue
        data = None  # loaded once per chart, and only if a language needs rendering
        for lang in LANGS:
            key = f"{chart.id}/{lang}"
            current = fingerprint(chart, lang, ledger)
            entry = state.get(key)
            up_to_date = entry and entry["fingerprint"] == current and _intact(out_dir, entry["files"])
            if lang in langs and not up_to_date:
                data = chart.load() if data is None else data
                texts, files = render.render(chart, data, lang, out_dir)
                entry = state[key] = {"fingerprint": current, "files": files, "texts": asdict(texts)}
                write_text(state_path, json.dumps(state, indent=1, ensure_ascii=False, sort_keys=True))
                log(f"rendered    {key}")
                up_to_date = True
            elif lang in langs:
                log(f"up to date  {key}")
            if up_to_date:
                manifest.append(_manifest_entry(chart, lang, entry))
    write_text(out_dir / "figures.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    gallery.write(manifest, results, out_dir)
    return manifest
