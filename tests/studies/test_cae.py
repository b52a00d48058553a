"""The convolutional-autoencoder tagging study (classical and generator chapters)."""

from __future__ import annotations

import numpy as np
import pytest

from qmlhep.data.splits import quark_gluon_images
from qmlhep.studies.cae import cae_tagging


@pytest.mark.slow
@pytest.mark.needs_shared
def test_cae_tagging_returns_three_honest_aucs(shared):
    data = quark_gluon_images(500, n_train=150, n_val=50, n_test=100, sizes=(12, 40))
    assert set(data.images) == {12, 40}
    aucs = cae_tagging(data, epochs12=1, epochs40=1, batch_size=64, patience=1, seed=0)
    assert set(aucs) == {"cae12.q_vs_g", "cae40.q_vs_g", "cae40.g_vs_q"}
    assert all(np.isfinite(v) and 0.0 <= v <= 1.0 for v in aucs.values())
