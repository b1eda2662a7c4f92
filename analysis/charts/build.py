"""Build every chart in every language, incrementally, and write ``figures/figures.json``.

A chart is rendered again exactly when something it depends on changed, and what it depends on
is what it actually read while it was last rendered (:mod:`analysis.tracking`): the data-package
resources and their hashes, the questions it asked of the package (a newly registered NCMEC PDF
changes the answer), the ledger entries it quoted, the libraries that parsed and drew it, and the
source of every module of the package its own module imports (:mod:`analysis.codebase`). These
records and the fingerprints live in ``<out>/.cache/state.json``; a build whose fingerprints all
match and whose files are intact renders nothing.

Before anything is drawn the claims ledger is checked: if a claim's status differs from the one
expected, nothing is built. A chart that read a synthetic file is never written. One build at a
time writes to an output folder (a lock); the readers' gallery (``index.html``) is rewritten last.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from analysis import cache, claims, datapackage, fingerprints, methodology, paths, synthetic, tracking, verify
from analysis.charts import charts, gallery, render
from analysis.charts.chart import Chart
from analysis.errors import DataError, UsageError
from analysis.files import atomic_write, open_lock, refuse_links, sha256, write_text
from analysis.series import dsa_extension

LANGS = ("fr", "en")


class ClaimsChanged(DataError):
    """The ledger no longer matches the data: publishing would print a number we cannot stand by.
    ``changed`` holds the results of the claims not as the ledger expects."""

    def __init__(self, changed: list[verify.Result], *, path: Path):
        self.changed = changed
        super().__init__("claims changed verdict or evidence, not building: "
                         + ", ".join(r.expected_text() for r in changed), path=path)


class SyntheticInput(DataError):
    """A chart would be drawn from synthetic data."""


State = fingerprints.State


def fingerprint(chart: Chart, lang: str, reads: tracking.Reads, state: State) -> str:
    """A hash of everything the chart's files in ``lang`` depend on, given what it read: its
    own module and the renderer that draws and writes every chart count as its code."""
    return fingerprints.fingerprint(f"{chart.id}/{lang}", (chart.load.__module__, render.__name__), reads, state)


def refuse_synthetic(chart: Chart, reads: tracking.Reads) -> None:
    """Refuse a chart that read a synthetic resource or synthetic DSA days of an ingest."""
    for name in reads.resources:
        path = datapackage.active().parent / datapackage.resource(name)["path"]
        if synthetic.is_synthetic(path):
            raise SyntheticInput(f"chart {chart.id} reads synthetic data ({name}): never published",
                                 path=path)
    for key, listing in reads.listings.items():
        days = dsa_extension.synthetic_days(listing) if dsa_extension.LISTING in json.loads(key) else []
        if days:
            raise SyntheticInput(f"chart {chart.id} reads synthetic DSA days ({', '.join(days)}): never published",
                                 path=json.loads(key)[dsa_extension.LISTING])


def check_claims(ledger: Path = paths.LEDGER, out_dir: Path | None = None) -> list[verify.Result]:
    """Every claim's status, refusing to go on if one is not the ledger's expected one. With
    ``out_dir``, results are remembered there and a claim is computed again only when something
    it read changed (see :func:`analysis.verify.check_all`)."""
    remembered = None if out_dir is None else Path(out_dir) / ".cache" / "claims.json"
    results = verify.check_all(ledger, remembered=remembered)
    changed = [r for r in results if not r.as_expected]
    if changed:
        raise ClaimsChanged(changed, path=claims.LEDGER)
    return results


def _intact(out_dir: Path, files: dict[str, str]) -> bool:
    return all((out_dir / name).exists() and sha256(out_dir / name) == digest
               for name, digest in files.items())


def current(entry: dict | None, chart: Chart, lang: str, out_dir: Path, state: State) -> bool:
    """Whether a chart's files from an earlier build (its ``state.json`` entry) are still right."""
    if not entry:
        return False
    reads = tracking.Reads.from_dict(entry["reads"])
    return entry["fingerprint"] == fingerprint(chart, lang, reads, state) and _intact(out_dir, entry["files"])


def _check_raw_files(saved: dict) -> None:
    """Every raw file an earlier build read must still have the bytes the package records: a
    file edited in place is refused here, not trusted because its recorded hash is unchanged."""
    read_before = {name for entry in saved.values() for name in entry["reads"]["resources"]}
    for name in sorted(read_before & {entry["name"] for entry in datapackage.resources()}):
        datapackage.read(name)  # raises, naming the file, if its bytes changed


def _saved(out_dir: Path) -> dict:
    path = out_dir / ".cache" / "state.json"
    return cache.read_index(path)  # missing, truncated or damaged: every chart is rebuilt


@contextlib.contextmanager
def _one_build_at_a_time(out_dir: Path) -> Iterator[None]:
    """Two builds into one folder would each write a manifest missing the other's work: the
    second waits for the first. Holding the lock, a build removes the scratch files a killed
    build left (files are written to a temporary name, then renamed). A folder of the build linked
    elsewhere is refused: nothing is written outside ``out_dir``."""
    refuse_links(out_dir, ".cache", *LANGS, methodology.FOLDER)
    handle = open_lock(out_dir / ".cache" / "build.lock")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        refuse_links(out_dir, ".cache", *LANGS, methodology.FOLDER)  # again, now that no other build runs
        for folder in (out_dir, out_dir / ".cache", *(out_dir / lang for lang in LANGS)):
            for scratch in folder.glob(".*.tmp"):
                scratch.unlink(missing_ok=True)
        yield
    finally:
        os.close(handle)


def reference_difference(built: Path, reference: Path, diff: Path, tolerance: float = 0) -> str | None:
    """None when the PNG ``built`` looks like ``reference`` (the regression tests' tolerance: the
    root mean square of the pixels' differences, as matplotlib's ``compare_images``); otherwise
    what differs, naming the image of the differences written to ``diff``."""
    if not Path(reference).exists():
        return "new (no reference before)"
    if Path(reference).read_bytes() == Path(built).read_bytes():
        return None
    import numpy as np
    from matplotlib.testing.compare import calculate_rms, save_diff_image
    from PIL import Image

    expected, actual = (np.asarray(Image.open(path).convert("RGB")).astype(np.int16) for path in (reference, built))
    if expected.shape != actual.shape:
        return f"size {expected.shape[1]}×{expected.shape[0]} → {actual.shape[1]}×{actual.shape[0]} px (no diff image)"
    rms = calculate_rms(expected, actual)
    if rms <= tolerance:
        return None
    Path(diff).parent.mkdir(parents=True, exist_ok=True)
    save_diff_image(str(reference), str(built), str(diff))
    return f"RMS difference {rms:.2f}; differences: {diff}"


def update_references(manifest: list[dict], out_dir: Path, references: Path = paths.REFERENCE_IMAGES) -> dict[str, str]:
    """Copy the built PNGs that differ over the regression tests' reference images (a deliberate
    act); return each changed one's name (``en/ID.png``) and what changed, the images of the
    differences written under ``out_dir/.cache/reference-diffs/``."""
    changed = {}
    for entry in manifest:
        for name in entry["files"]:
            if name.endswith(".png"):
                built = Path(out_dir) / name
                difference = reference_difference(built, references / name,
                                                  Path(out_dir) / ".cache" / "reference-diffs" / name)
                if difference:
                    with atomic_write(references / name) as handle:
                        handle.write(built.read_bytes())
                    changed[name] = difference
    return changed


def _manifest_entry(chart: Chart, lang: str, entry: dict) -> dict:
    """A chart's line of ``figures.json``: its texts, what it read, and its files with their hashes
    (every layout's, ``<id>.{svg,png,pdf,csv}`` and the phone's ``<id>.phone.{svg,png}``)."""
    reads = entry["reads"]
    return {"id": chart.id, "lang": lang, "title": entry["texts"]["title"],
            "alt": entry["texts"]["alt"], "source": entry["texts"]["source"],
            "resources": sorted(reads["resources"]), "claims": sorted(reads["claims"]),
            "files": dict(sorted(entry["files"].items()))}  # one order, whether drawn now or before


def build(langs=LANGS, out_dir: Path = paths.FIGURES, log=print, state: State | None = None,
          ledger: Path = paths.LEDGER, only: set[str] | None = None, notebooks: bool = False,
          kernel_log: bool = False) -> list[dict]:
    """Render what changed; return the manifest (also written to ``figures.json``). Nothing is
    built unless every claim of ``ledger`` has its expected verdict and evidence; every chart to
    draw is loaded first, so that a chart whose data fails to load, or reads synthetic data
    (:class:`SyntheticInput`), stops the build before anything is drawn. With ``only``
    (chart ids), the other charts are left as they are. With ``notebooks``, the notebooks' pages
    that are not current are rendered first (:func:`analysis.methodology.render`; ``kernel_log``
    shows the kernel's own log), so that the gallery links them.

    The manifest lists every chart and language whose files are current, so building one
    language, or one chart, keeps the others' entries.
    """
    out_dir = Path(out_dir)
    known = charts()
    if only is not None and set(only) - set(known):
        raise UsageError(f"no chart {sorted(set(only) - set(known))[0]!r}; known: {', '.join(sorted(known))}")
    state = state or State.now(ledger)
    with _one_build_at_a_time(out_dir):
        results = check_claims(ledger, out_dir)
        if notebooks:
            methodology.render(out_dir, log=log, verbose=kernel_log, state=state)
        saved = _saved(out_dir)
        _check_raw_files(saved)
        status = {}  # (chart id, lang) → (files of an earlier build still right, asked for)
        loaded = {}  # chart id → (data, reads) of each chart to draw, all loaded and checked before any is drawn
        for chart in known.values():
            wanted = only is None or chart.id in only
            if wanted and not chart.available():
                log(f"no data yet {chart.id}")
                continue
            for lang in LANGS:
                status[chart.id, lang] = (current(saved.get(f"{chart.id}/{lang}"), chart, lang, out_dir, state),
                                          wanted and lang in langs)
            if any(asked and not up_to_date for up_to_date, asked in (status[chart.id, lang] for lang in LANGS)):
                with tracking.recording() as reads:
                    data = chart.load()
                refuse_synthetic(chart, reads)  # a refused build has drawn nothing
                loaded[chart.id] = data, reads
        manifest = []
        for (chart_id, lang), (up_to_date, asked) in status.items():
            chart, key = known[chart_id], f"{chart_id}/{lang}"
            entry = saved.get(key)
            if asked and not up_to_date:
                data, load_reads = loaded[chart_id]
                with tracking.recording() as reads:
                    tracking.replay(load_reads)
                    texts, files = render.render(chart, data, lang, out_dir)
                entry = saved[key] = {"fingerprint": fingerprint(chart, lang, reads, state), "files": files,
                                      "texts": asdict(texts), "reads": reads.as_dict()}
                write_text(out_dir / ".cache" / "state.json",
                           json.dumps(saved, indent=1, ensure_ascii=False, sort_keys=True))
                log(f"rendered    {key}")
                up_to_date = True
            elif asked:
                log(f"up to date  {key}")
            if up_to_date:
                manifest.append(_manifest_entry(chart, lang, entry))
        write_text(out_dir / "figures.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        gallery.write(manifest, results, out_dir)
    return manifest
