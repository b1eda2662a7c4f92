"""What an ingest records: a day's report (written as its ``_ingest.json``) and each part's share."""

from __future__ import annotations

from dataclasses import dataclass, field

EXAMPLES = 5
DUPLICATES_LISTED = 100  # in _ingest.json; the count is always complete


@dataclass
class DayReport:
    day: str
    source: str
    sha1_checked: bool = False
    synthetic: bool = False  # from the file name, the zip's comment or the rows' own marks
    layouts: list[str] = field(default_factory=list)
    parts: int = 0
    rows: int = 0
    kept: int = 0
    malformed: int = 0
    duplicates: int = 0  # exact repeats of a statement already kept: counted once
    examples: list[str] = field(default_factory=list)  # "file, line N: why"
    duplicate_examples: list[dict] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)  # the platform_name values selected
    platforms_missing: list[str] = field(default_factory=list)



@dataclass
class PartReport:
    """What one part added to the day."""
    name: str
    layout: str
    synthetic: bool
    rows: int
    kept: int  # stored, before the repeats across parts are taken out
    malformed: int
    examples: list[str]  # at most EXAMPLES, in file order
    platforms: set[str]  # platform_name values among the rows kept



def add_part(report: DayReport, added: PartReport, part_names: list[str]) -> None:
    """Add a part's counts to the day's, in the parts' order."""
    if added.layout not in report.layouts:
        report.layouts.append(added.layout)
    report.synthetic = report.synthetic or added.synthetic
    report.rows += added.rows
    report.kept += added.kept
    report.malformed += added.malformed
    report.examples += added.examples[:EXAMPLES - len(report.examples)]
    part_names.append(added.name)
    report.parts += 1
