"""Benchmarks run by ``make bench`` (see :mod:`qmlhep.tooling.bench`), one module per chapter."""
