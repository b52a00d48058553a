"""qmlhep: helper package of the book *Quantum machine learning for high-energy physics*.

The package is organised like the book:

- :mod:`qmlhep.config` – the profile (``QMLHEP_PROFILE``) and the data, cache and build folders;
- :mod:`qmlhep.data` – dataset registry, checksummed downloads and loaders (SUSY, jets, images);
- :mod:`qmlhep.metrics` – the one helper chapters use to record their headline numbers;
- :mod:`qmlhep.chapter` – the banner and warning policy at the top of every executed chapter;
- :mod:`qmlhep.plotting` – figures shared by several chapters;
- :mod:`qmlhep.tooling.bench` – ``make bench``: speed ratios measured in one run.
"""

import os

__version__ = "0.1.0"

# Keras 3 runs on the JAX backend in this book: on a CPU it trains the book's small networks
# 5-10x faster than the TensorFlow backend, and PennyLane's JAX interface is the maintained
# way to put circuits inside Keras models. Set KERAS_BACKEND before importing qmlhep to
# override (the choice is fixed once keras is imported).
os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# POT (optimal transport, for the EMD) imports every array library it finds; the book uses
# it on NumPy arrays only, so it need not import TensorFlow (seconds, and log noise).
os.environ.setdefault("POT_BACKEND_DISABLE_TENSORFLOW", "1")

# settings are checked when the package is imported, before any work: an unknown
# QMLHEP_PROFILE fails here with a message naming it, not after a fit has run
from qmlhep import config as _config

_config.profile()
