"""Every published series, computed once.

The claims ledger's measures (:mod:`analysis.measures`), the notebooks and the charts all take
their numbers from these modules, one per topic; none of them merges, filters or divides on its
own. Status words come from :mod:`analysis.status`.
"""
