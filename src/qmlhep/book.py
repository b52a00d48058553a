"""What every chapter runs first: sizes from the profile, a banner, and the warning policy.

``setup("chapter")`` returns the chapter's sizes (:func:`qmlhep.profiles.sizes`) and
shows which profile and which data the page was executed with. When
``QMLHEP_STRICT_WARNINGS=1`` (as in ``make test``), deprecation warnings raised by the
card packages, or triggered by the chapter's own code or by ``qmlhep``, become errors, so
a chapter that relies on a deprecated API fails the build instead of rotting silently.
"""

from __future__ import annotations

import os
import warnings
from types import SimpleNamespace

from qmlhep import config
from qmlhep.profiles import sizes

CARD_PACKAGES = ("pennylane", "pennylane_lightning", "qiskit", "qiskit_aer", "qiskit_ibm_runtime",
                 "qulacs", "tensorflow", "keras", "matplotlib", "jupytext", "jupyter_book")
STRICT_MODULES = r"^(__main__|qmlhep|" + "|".join(CARD_PACKAGES) + r")(\.|$)"


def strict_warnings() -> None:
    """Turn deprecation warnings from the card packages (and our own calls) into errors."""
    for category in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
        warnings.filterwarnings("error", category=category, module=STRICT_MODULES)
    try:  # PennyLane's own deprecation class is not a DeprecationWarning subclass
        from pennylane.exceptions import PennyLaneDeprecationWarning
    except ImportError:
        return
    warnings.filterwarnings("error", category=PennyLaneDeprecationWarning)


def data_source() -> str:
    """Where the data layer looks for files, in words."""
    dirs = config.data_dirs()
    local = ", ".join(map(str, dirs)) if dirs else "none (QMLHEP_DATA_DIR unset)"
    mode = "offline" if config.offline() else "downloads allowed"
    return f"data folders: {local}; cache: {config.cache_dir()} ({mode})"


def setup(chapter: str, show: bool = True) -> SimpleNamespace:
    """Sizes for ``chapter``; shows the profile and data source; applies the warning policy."""
    if os.environ.get("QMLHEP_STRICT_WARNINGS", "") == "1":
        strict_warnings()
    cfg = sizes(chapter)
    if show:
        from IPython.display import Markdown, display

        display(Markdown(f"**Executed with profile `{cfg.profile}`** "
                         f"(set `QMLHEP_PROFILE` to `ci`, `default` or `full`) · {data_source()}"))
    return cfg
