"""Benchmarks run by ``make bench`` (see :mod:`qmlhep.bench`), one module per chapter."""
