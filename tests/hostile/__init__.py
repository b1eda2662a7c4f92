"""Hostile inputs: a reusable corpus (:mod:`hostile.corpus`) and the tests that every loader
refuses them in one line naming file, row and column, leaving nothing half-written behind."""
