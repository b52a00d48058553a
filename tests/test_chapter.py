"""The chapter set-up: banner, sizes, and the strict deprecation-warning policy."""

from __future__ import annotations

import warnings

import pytest

from qmlhep import chapter


def _warn_from(module_name: str, category=DeprecationWarning):
    """Issue a warning attributed to ``module_name`` (as if raised inside that package)."""
    warnings.warn_explicit(
        "old API", category, filename=f"{module_name}.py", lineno=1, module=module_name
    )


def test_strict_policy_turns_card_package_deprecations_into_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        chapter.strict_warnings()
        for module in (
            "pennylane.devices",
            "qiskit.circuit",
            "keras.src.layers",
            "__main__",
            "qmlhep.data",
        ):
            with pytest.raises(DeprecationWarning):
                _warn_from(module)
        with pytest.raises(FutureWarning):
            _warn_from("matplotlib.pyplot", FutureWarning)
        with pytest.warns(DeprecationWarning):  # not a card package: stays a warning
            _warn_from("some_other_library")
        with pytest.warns(UserWarning):  # not a deprecation: stays a warning
            _warn_from("pennylane", UserWarning)


def test_setup_returns_profile_sizes_and_applies_policy_only_when_asked(monkeypatch):
    monkeypatch.setenv("QMLHEP_PROFILE", "ci")
    monkeypatch.delenv("QMLHEP_STRICT_WARNINGS", raising=False)
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        cfg = chapter.setup("jet_images", show=False)
        assert cfg.profile == "ci" and cfg.n_jets == 2_000
        with pytest.warns(DeprecationWarning):  # no error without QMLHEP_STRICT_WARNINGS=1
            _warn_from("qiskit")
        monkeypatch.setenv("QMLHEP_STRICT_WARNINGS", "1")
        chapter.setup("jet_images", show=False)
        with pytest.raises(DeprecationWarning):
            _warn_from("qiskit")


def test_progress_bars_obey_tqdm_disable(monkeypatch):
    from qmlhep.fitting.progress import bar

    monkeypatch.setenv("TQDM_DISABLE", "1")
    assert bar(range(3)).disable
    monkeypatch.delenv("TQDM_DISABLE")
    assert bar(range(3), enabled=False).disable


def test_an_unknown_profile_fails_at_import_before_any_work():
    import subprocess
    import sys

    env = {**__import__("os").environ, "QMLHEP_PROFILE": "fastest"}
    done = subprocess.run(
        [sys.executable, "-c", "import qmlhep"], env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "QMLHEP_PROFILE='fastest' is not a profile" in done.stderr
