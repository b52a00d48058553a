"""Run-time settings: the profile and the folders, all read from environment variables.

=====================  ==========================================================
``QMLHEP_PROFILE``     ``ci`` (minutes per chapter), ``default`` (the published
                       book) or ``full`` (paper-scale sweeps). Default: ``default``.
``QMLHEP_DATA_DIR``    Folders (``os.pathsep``-separated) searched first for
                       pre-fetched dataset files, e.g. ``../shared/data``.
``QMLHEP_CACHE_DIR``   Where downloads are stored. Default: ``~/.cache/qmlhep``.
``QMLHEP_OFFLINE``     ``1`` forbids downloads (a clear error instead).
``QMLHEP_DOWNLOAD_DEADLINE_S``  Total seconds a file's download may take. Default 3600.
``QMLHEP_BUILD_DIR``   Where ``metrics.json`` and ``bench.json`` go. Default: the
                       ``_build`` folder of the book checkout, else ``./_build``.
=====================  ==========================================================
"""

from __future__ import annotations

import os
from pathlib import Path

PROFILES = ("ci", "default", "full")


class ConfigError(ValueError):
    """A setting has a value the book cannot use."""


def profile() -> str:
    """The active profile name, validated."""
    name = os.environ.get("QMLHEP_PROFILE", "default").strip().lower() or "default"
    if name not in PROFILES:
        raise ConfigError(
            f"QMLHEP_PROFILE={name!r} is not a profile; use one of {', '.join(PROFILES)} "
            "(e.g. `export QMLHEP_PROFILE=ci`)."
        )
    return name


def data_dirs() -> list[Path]:
    """Folders searched for pre-fetched files, in order (may be empty); each entry trimmed,
    and one that is not a folder is an error naming it."""
    raw = os.environ.get("QMLHEP_DATA_DIR", "")
    dirs = [Path(p.strip()).expanduser().resolve() for p in raw.split(os.pathsep) if p.strip()]
    missing = [str(d) for d in dirs if not d.is_dir()]
    if missing:
        raise ConfigError(
            f"QMLHEP_DATA_DIR names {', '.join(missing)}, which is not a folder; "
            "fix the path or remove it from QMLHEP_DATA_DIR."
        )
    return dirs


def cache_dir() -> Path:
    """Folder for downloaded files (created on demand by the downloader)."""
    raw = os.environ.get("QMLHEP_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", "~/.cache"), "qmlhep"
    )
    return Path(raw).expanduser().resolve()


TRUE, FALSE = {"1", "true", "yes", "on"}, {"", "0", "false", "no", "off"}


def flag(name: str) -> bool:
    """A yes/no setting, parsed strictly: a value that is neither is an error naming it."""
    value = os.environ.get(name, "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ConfigError(
        f"{name}={os.environ[name]!r} is neither yes nor no; use 1/true/yes/on "
        "or 0/false/no/off (or leave it unset)."
    )


def offline() -> bool:
    """True when downloads are forbidden (``QMLHEP_OFFLINE=1``)."""
    return flag("QMLHEP_OFFLINE")


DOWNLOAD_DEADLINE_S = 3600.0
"""Default total seconds a dataset file may take to download, over all its addresses."""


def download_deadline() -> float:
    """Total seconds a download may take (``QMLHEP_DOWNLOAD_DEADLINE_S``, default one hour),
    validated: a value that is not a positive number is an error naming the variable."""
    raw = os.environ.get("QMLHEP_DOWNLOAD_DEADLINE_S", "").strip()
    if not raw:
        return DOWNLOAD_DEADLINE_S
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise ConfigError(
            f"QMLHEP_DOWNLOAD_DEADLINE_S={raw!r} is not a positive number of seconds."
        )
    return value


def repo_root(start: Path | None = None) -> Path | None:
    """The book checkout containing ``start`` (the folder holding ``_toc.yml``), if any."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file() and (folder / "_config.yml").is_file():
            return folder
    return None


def build_dir() -> Path:
    """Folder where the book build writes ``metrics.json`` and ``bench.json``."""
    raw = os.environ.get("QMLHEP_BUILD_DIR")
    if raw:
        return Path(raw).expanduser().resolve()
    root = repo_root()
    return (root / "_build") if root else (Path.cwd() / "_build").resolve()
