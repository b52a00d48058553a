"""qmlhep: helper package of the book *Quantum machine learning for high-energy physics*.

The package is organised like the book:

- :mod:`qmlhep.config` – the profile (``QMLHEP_PROFILE``) and the data, cache and build folders;
- :mod:`qmlhep.data` – dataset registry, checksummed downloads and loaders (SUSY, jets, images);
- :mod:`qmlhep.metrics` – the one helper chapters use to record their headline numbers;
- :mod:`qmlhep.book` – the banner and warning policy at the top of every executed chapter;
- :mod:`qmlhep.plotting` – figures shared by several chapters;
- :mod:`qmlhep.bench` – ``make bench``: speed ratios against a baseline measured in the same run.
"""

__version__ = "0.1.0"
