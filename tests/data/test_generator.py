"""The Pythia 8 + FastJet quark/gluon generator: reproducible, cached, in its window, physical."""

from __future__ import annotations

import numpy as np
import pytest

from qmlhep.data.generated_jets import generate_qg_jets
from qmlhep.data.jet_observables import jet_pt, multiplicity
from qmlhep.data.pythia_jets import JetSettings, generate_chunk
from qmlhep.data.toy_detector import smear

N_PER_CLASS = 100  # 200 jets in all: enough to see the multiplicity difference


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """One generated sample in a private cache, and the same call again (from the cache)."""
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("QMLHEP_CACHE_DIR", str(cache))
        first = generate_qg_jets(N_PER_CLASS, seed=3, n_jobs=2, progress=False)
        second = generate_qg_jets(N_PER_CLASS, seed=3, n_jobs=2, progress=False)
    return first, second


def test_same_seed_gives_identical_arrays():
    a = generate_chunk(JetSettings("quark"), seed=11, n_jets=5)
    b = generate_chunk(JetSettings("quark"), seed=11, n_jets=5)
    c = generate_chunk(JetSettings("quark"), seed=12, n_jets=5)
    assert a.tobytes() == b.tobytes()
    assert a.shape != c.shape or not np.array_equal(a, c)


def test_second_call_reads_the_cached_file(sample):
    first, second = sample
    assert not first.from_cache and second.from_cache
    assert first.provenance.files == second.provenance.files
    assert first.X.tobytes() == second.X.tobytes() and first.y.tobytes() == second.y.tobytes()
    assert first.settings["pt_min"] == 500.0 and first.jets_per_s > 0


def test_jets_are_in_the_window_with_balanced_labels(sample):
    jets = sample[0]
    assert len(jets) == 2 * N_PER_CLASS and jets.y.sum() == N_PER_CLASS
    pt, y = jets.X[..., 0], jets.X[..., 1]
    assert jet_pt(jets.X).min() >= 500 - 1e-6 and jet_pt(jets.X).max() <= 550 + 1e-6
    pz, energy = (pt * np.sinh(y)).sum(1), (pt * np.cosh(y)).sum(1)  # massless approximation
    assert np.abs(0.5 * np.log((energy + pz) / (energy - pz))).max() < 1.7 + 0.05
    real = pt > 0
    assert (np.abs(jets.X[..., 3][real]) != 12).all() and (np.diff(pt, axis=1) <= 0).all()


def test_gluon_jets_have_more_constituents(sample):
    jets = sample[0]
    n = multiplicity(jets.X)
    assert n[jets.y == 0].mean() > n[jets.y == 1].mean() + 5


def test_toy_detector_keeps_tracks_and_merges_neutrals():
    rng = np.random.default_rng(0)
    X = np.zeros((2, 5, 4))
    X[0, :3] = [[100, 0.10, 1.00, 211], [50, 0.101, 1.001, 22], [40, 0.102, 1.002, 22]]
    X[1, :2] = [[80, -0.3, 2.0, 2112], [30, 0.5, 2.5, -321]]
    out = smear(X, seed=int(rng.integers(100)))
    pid = out[..., 3]
    assert (pid[0] == 211).sum() == 1 and (pid[0] == 22).sum() == 1  # two photons, one cell
    assert (pid[1] == 130).sum() == 1 and (pid[1] == -321).sum() == 1
    assert abs(out[0, :, 0].sum() - 190) < 0.2 * 190
    assert (np.diff(out[..., 0], axis=1) <= 0).all()


def test_every_seed_the_generator_accepts_stays_within_pythias_range():
    from qmlhep.data import generated_jets as g

    last_chunk = g.CHUNKS_PER_KIND - 1
    assert 1 <= g._chunk_seed(0, "quark", 0)
    assert g._chunk_seed(g.MAX_SEED, "gluon", last_chunk) <= g.PYTHIA_MAX_SEED
    seeds = {g._chunk_seed(s, k, c) for s in (0, 1) for k in g.KINDS for c in (0, last_chunk)}
    assert len(seeds) == 8  # distinct for every seed, kind and chunk
    for bad in (g.MAX_SEED + 1, -1, 2.0, True):
        with pytest.raises(ValueError, match=r"seed=.* must be an integer from 0 to"):
            g.generate_qg_jets(10, seed=bad, progress=False)
    for bad in (0, -3, 1.5):
        with pytest.raises(ValueError, match="n_per_class="):
            g.generate_qg_jets(bad, progress=False)
