"""Every published series, computed once.

The claims ledger's measures (:mod:`analysis.measures`), the notebooks and the charts all take
their numbers from these modules, one per topic; none of them merges, filters or divides on its
own. Every row says what it rests on, in the words of
:mod:`analysis.evidence`.

For notebooks, two entry points answer a question in one call (type ``series.ncmec.`` and Tab):
:mod:`~analysis.series.ncmec` (any company's or country's CyberTipline reports, shares, changes)
and :mod:`~analysis.series.x` (X's own figures, its reports per suspension, its DSA statements).
Each value is a :class:`~analysis.quantity.Measure` with its unit and what it rests on, computed
by the same measure the claims ledger uses:

>>> from analysis import series
>>> share = series.ncmec.share("X", 2022)
>>> round(share.value, 2), share.unit, share.evidence
(0.31, 'percent', 'primary')
"""

from analysis.series import ncmec, x  # noqa: F401 - the notebooks' entry points, light to import
