"""Shared fixtures: the shared offline samples, and isolated data/cache/build folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import qmlhep  # noqa: F401  (first: selects the Keras backend before any library imports keras)

ROOT = Path(__file__).resolve().parents[1]


def _shared_data() -> Path | None:
    for raw in os.environ.get("QMLHEP_DATA_DIR", "").split(os.pathsep):
        if raw and (Path(raw) / "README.md").is_file():
            return Path(raw).resolve()
    guess = ROOT.parent / "shared" / "data"
    return guess if guess.is_dir() else None


SHARED = _shared_data()
MISSING_SHARED = "shared data samples not present (set QMLHEP_DATA_DIR to the folder holding them)"
needs_shared = pytest.mark.needs_shared
"""Mark a test that reads the shared samples: skipped without them, except under CI (``CI``
set), where a missing sample is a failure, never a silently skipped test."""


def _without_shared() -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI: {MISSING_SHARED}")
    pytest.skip(MISSING_SHARED)


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_shared: reads the shared data samples")


def pytest_runtest_setup(item):
    if item.get_closest_marker("needs_shared") and SHARED is None:
        _without_shared()


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Empty data dir, cache and build dir; offline. Returns a namespace of the paths."""
    data, cache, build = tmp_path / "data", tmp_path / "cache", tmp_path / "build"
    for p in (data, cache, build):
        p.mkdir()
    monkeypatch.setenv("QMLHEP_DATA_DIR", str(data))
    monkeypatch.setenv("QMLHEP_CACHE_DIR", str(cache))
    monkeypatch.setenv("QMLHEP_BUILD_DIR", str(build))
    monkeypatch.setenv("QMLHEP_OFFLINE", "1")

    class Paths:
        pass

    paths = Paths()
    paths.data, paths.cache, paths.build = data, cache, build
    return paths


@pytest.fixture
def shared(monkeypatch, tmp_path):
    """The shared samples as the data dir, an empty cache, offline."""
    if SHARED is None:
        _without_shared()
    monkeypatch.setenv("QMLHEP_DATA_DIR", str(SHARED))
    monkeypatch.setenv("QMLHEP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("QMLHEP_BUILD_DIR", str(tmp_path / "build"))
    monkeypatch.setenv("QMLHEP_OFFLINE", "1")
    return SHARED
