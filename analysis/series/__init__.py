"""Every published series, computed once.

The claims ledger's measures (:mod:`analysis.measures`), the notebooks and the charts all take
their numbers from these modules, one per topic; none of them merges, filters or divides on its
own. Every row says what it rests on, in the words of
:mod:`analysis.evidence`.
"""
