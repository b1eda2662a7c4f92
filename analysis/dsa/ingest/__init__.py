"""Daily dumps → Parquet partitioned by day and platform, streaming and atomic.

For each dump: every CSV part is read by DuckDB in one strict scan of the columns kept, as text,
two parts at a time, each by its own thread (:func:`archive.map_parts`; a part with broken lines is
read again with DuckDB's rejects table, which counts and locates them); its header says which
published layout it follows (:func:`schema.detect_layout`: 37 or 38 columns, full or light), and
every layout is written in the same Parquet schema (a column a layout lacks is null). The rows of
the chosen platforms (every ``platform_name`` of the service, :mod:`analysis.dsa.names`) are
checked (timestamps on the dump's day, Yes/No, JSON arrays of strings) and written as Parquet
under a staging folder by the same thread, the multi-valued columns as the JSON text published
(:func:`select_valid`); the counts join the day in the parts' order. The day's SHA-1 is computed
meanwhile and checked before the day is swapped in.

Each statement is identified by its uuid across every part and inner zip of the day: an exact
repeat (same uuid, same content in every column) is kept once and listed in ``_ingest.json``
with its file and record; the same uuid with different content is a malformed row. Repeats within
a part are left out as it is written; repeats across parts are found, and taken out of the files
written, once the day is read.

Only when the whole day has been read, and its share of malformed rows is under the threshold,
does the staging folder replace ``DIR/date=YYYY-MM-DD`` (rename, so readers never see half a day).
Each run works in its own ``DIR/.ingest-*`` folder, held by a lock: a run that was killed leaves
that folder behind, and the next run removes it (putting back a day it had moved aside).

The steps, one module each: :mod:`.sql` (every query text), :mod:`.part` (the scan of one part),
:mod:`.repeats` (statements repeated across parts), :mod:`.report` (what ``_ingest.json`` records),
:mod:`.recovery` (the run's folder and killed runs), :mod:`.day` (one dump in, one day out).
"""

from analysis.dsa.ingest.day import LOG, MAX_MALFORMED, check_share, count_rows, ingest_dump, one_dump_a_day
from analysis.dsa.ingest.recovery import RUN_PREFIX, recover, run_folder
from analysis.dsa.ingest.report import DayReport
from analysis.dsa.ingest.sql import reader_sql

__all__ = ["LOG", "MAX_MALFORMED", "RUN_PREFIX", "DayReport", "check_share", "count_rows", "ingest_dump", "one_dump_a_day",
           "reader_sql", "recover", "run_folder"]
