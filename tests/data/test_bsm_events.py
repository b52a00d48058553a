"""The BSM dilepton events: the shared files, the authors' angle map and split, and the
errors a damaged file gives."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from qmlhep.data.bsm_events import (
    FEATURES,
    PAPER_FEATURES,
    RANGES,
    _read,
    load_bsm_events,
    paper_split,
    to_angles,
)
from qmlhep.data.files import DataSchemaError


def test_shared_sample_and_the_authors_split(shared):
    events = load_bsm_events()
    assert events.background.shape == (51_852, 9) and events.signal.shape == (9_500, 9)
    assert tuple(events.background.columns) == FEATURES
    assert [p.source for p in events.provenance] == ["data dir", "data dir"]
    split = paper_split(events)
    assert split.pool.shape == (30_000, 4) and split.val.shape == (5_000, 4)
    assert len(split.test_bg) == 15_000
    beyond = (events.signal[list(PAPER_FEATURES)] >= [RANGES[f] for f in PAPER_FEATURES]).any(
        axis=1
    )
    assert split.dropped == {"background": 0, "signal": int(beyond.sum())} and beyond.sum() > 0
    assert len(split.test_sig) == 9_500 - beyond.sum()
    assert split.X_test.min() >= 0 and split.X_test.max() < np.pi
    assert split.y_test.sum() == len(split.test_sig)
    np.testing.assert_allclose(
        split.pool[0],
        np.pi * events.background[list(PAPER_FEATURES)].iloc[0] / [1000, 1000, 1000, 900],
    )
    assert "bsm_qae" in split.provenance


def test_to_angles_maps_linearly_and_drops_out_of_range_events():
    frame = pd.DataFrame({"MET": [0.0, 500.0, 1000.0, -1.0], "lep2pt": [450.0, 0.0, 1.0, 1.0]})
    angles, kept = to_angles(frame, ("MET", "lep2pt"))
    np.testing.assert_array_equal(kept, [True, True, False, False])
    np.testing.assert_allclose(angles, [[0, np.pi / 2], [np.pi / 2, 0]])
    with pytest.raises(ValueError, match="no fixed range for \\['dR_l1'\\]"):
        to_angles(frame.assign(dR_l1=1.0), ("dR_l1",))


def _write(path, frame):
    with gzip.open(path, "wt") as fh:
        frame.to_csv(fh)


@pytest.mark.parametrize(
    "damage, match",
    [
        (lambda f: f.drop(columns="MET"), "lacks the column\\(s\\) \\['MET'\\]"),
        (lambda f: f.assign(MET=np.nan), "NaN or infinite"),
        (lambda f: f.assign(MET="high"), "non-numeric"),
    ],
)
def test_damaged_files_are_named(tmp_path, damage, match):
    frame = pd.DataFrame(np.ones((3, len(FEATURES))), columns=FEATURES)
    path = tmp_path / "events.csv.gz"
    _write(path, damage(frame))
    with pytest.raises(DataSchemaError, match=match) as err:
        _read(path, None)
    assert str(path) in str(err.value)


def test_truncated_or_short_files_are_named(tmp_path):
    frame = pd.DataFrame(np.ones((3, len(FEATURES))), columns=FEATURES)
    path = tmp_path / "events.csv.gz"
    _write(path, frame)
    with pytest.raises(DataSchemaError, match="has 3 events, not the registered 5"):
        _read(path, 5)
    path.write_bytes(path.read_bytes()[:20])
    with pytest.raises(DataSchemaError, match="truncated or corrupted"):
        _read(path, None)
