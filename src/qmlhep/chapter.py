"""What every chapter runs first: sizes from the profile, a banner, and the warning policy.

``setup("chapter")`` returns the chapter's sizes (:func:`qmlhep.profiles.sizes`) and
shows which profile and which data the page was executed with. When
``QMLHEP_STRICT_WARNINGS=1`` (as in ``make test``), deprecation warnings raised by the
card packages, or triggered by the chapter's own code or by ``qmlhep``, become errors, so
a chapter that relies on a deprecated API fails the build instead of rotting silently.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from types import SimpleNamespace

import matplotlib
from IPython.display import Markdown, display

from qmlhep import config
from qmlhep.data.files import choose_variant, dataset, locate
from qmlhep.fitting.parallel import SCHEDULER_ENV, connect_from_environment
from qmlhep.profiles import full_adds, sizes

CARD_PACKAGES = (
    "pennylane",
    "pennylane_lightning",
    "qiskit",
    "qiskit_aer",
    "qiskit_ibm_runtime",
    "qulacs",
    "tensorflow",
    "keras",
    "matplotlib",
    "jupytext",
    "jupyter_book",
)
STRICT_MODULES = r"^(__main__|qmlhep|" + "|".join(CARD_PACKAGES) + r")(\.|$)"


def strict_warnings() -> None:
    """Turn deprecation warnings from the card packages (and our own calls) into errors."""
    for category in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
        warnings.filterwarnings("error", category=category, module=STRICT_MODULES)
    try:  # PennyLane's own deprecation class is not a DeprecationWarning subclass
        # imported here, inside try/except: the code works without pennylane
        from pennylane.exceptions import PennyLaneDeprecationWarning
    except ImportError:
        return
    warnings.filterwarnings("error", category=PennyLaneDeprecationWarning)


def chapter_datasets(chapter: str) -> tuple[str, ...]:
    """The datasets a chapter's metadata block names (``chapter``: the last part of its
    docname, e.g. ``bsm_qae``), from the index shipped with the package, so that a
    notebook run outside a checkout names its data too."""
    index = json.loads(Path(__file__).with_name("chapter_index.json").read_text())
    for name, meta in index.items():
        if name.rsplit("/", 1)[-1] == chapter:
            return tuple(meta["data"])
    return ()


def data_identity(datasets: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    """``(dataset, variant, checksum words)`` of each dataset a page will load."""

    out = []
    for key in datasets:
        variant = choose_variant(key)
        spec = dataset(key).variants[variant].files[0]
        out.append(
            (key, variant, f"sha256 {spec.sha256[:12]}…" if spec.sha256 else "schema-checked")
        )
    return out


def data_source(datasets: tuple[str, ...] = ()) -> str:
    """The data a page is executed with, in words: dataset, variant, checksum and whether
    it comes from the data folder, the cache or a download. Never a path of this machine."""

    parts = []
    for key, variant, digest in data_identity(datasets):
        found = locate(key, dataset(key).variants[variant].files[0])
        parts.append(f"{key} [{variant}] ({digest}, {found[1] if found else 'to download'})")
    mode = "offline" if config.offline() else "downloads allowed"
    return f"data: {'; '.join(parts) if parts else 'none'} ({mode})"


FIGURE_BACKGROUND = {
    "figure.facecolor": "white",
    "figure.edgecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
}
"""Figures on an opaque white ground, readable in the theme's dark mode too (Jupyter's
inline backend makes them transparent by default: black text on a dark page)."""


def opaque_figures() -> None:
    """Give every figure of this kernel an opaque white background."""

    try:  # the inline backend applies its own rc when it activates: give it ours too
        # imported here, inside try/except: the code works without matplotlib_inline
        from matplotlib_inline.backend_inline import InlineBackend

        InlineBackend.instance().rc.update(FIGURE_BACKGROUND)
    except ImportError:
        pass
    matplotlib.rcParams.update(FIGURE_BACKGROUND)


def setup(chapter: str, show: bool = True) -> SimpleNamespace:
    """Sizes for ``chapter``; shows the profile and data; applies the warning policy.

    Also names the chapter for the build's record of which data files it read
    (:mod:`qmlhep.data.usage`).
    """
    if config.flag("QMLHEP_STRICT_WARNINGS"):
        strict_warnings()
    opaque_figures()
    cfg = sizes(chapter)
    os.environ["QMLHEP_CHAPTER"] = chapter

    cluster = connect_from_environment()  # QMLHEP_DASK_SCHEDULER: sweeps on its workers
    if show:
        display(
            Markdown(
                f"**Executed with profile `{cfg.profile}`** "
                f"(set `QMLHEP_PROFILE` to `ci`, `default` or `full`) · "
                f"{data_source(chapter_datasets(chapter))}"
                + (f" · sweeps on the Dask cluster {os.environ[SCHEDULER_ENV]}" if cluster else "")
            )
        )
        adds = full_adds(chapter, cfg.profile) if cfg.profile != "full" else []
        if adds:
            display(
                Markdown(
                    "*The `full` profile (paper scale, hours on 2 cores; long trainings resume "
                    "from checkpoints) changes:* " + "; ".join(f"`{a}`" for a in adds)
                )
            )
    return cfg
