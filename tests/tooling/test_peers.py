"""The peer simulators of ``make bench`` run the book's circuits and agree with the engine."""

from __future__ import annotations

import numpy as np
import pytest

from qmlhep.simulation import swap_test_fidelity as stf
from qmlhep.simulation.gates import z_signs
from qmlhep.simulation.patch_circuit import PatchCircuit
from qmlhep.tooling.benchmarks import peer_circuits as pc
from qmlhep.tooling.benchmarks.peers import PEERS, pennylane_jax_runner

TOL = 1e-8


def _runner(make, spec, gradient, batch):
    return make(spec, gradient, batch) if make is pennylane_jax_runner else make(spec, gradient)


def test_z_strings_rebuild_the_diagonal():
    f = np.random.default_rng(0).normal(size=16)
    rebuilt = sum(c * np.prod(z_signs(4)[list(w)], axis=0) for c, w in pc.z_strings(f))
    assert np.allclose(rebuilt, f)
    projector = pc.trash_projector(3, (0, 2))
    assert {w for _, w in pc.z_strings(projector)} == {(), (0,), (2,), (0, 2)}
    assert pc.z_strings(pc.weighted_z(3, [0.5, 0.0, -1.0])) == [(0.5, (0,)), (-1.0, (2,))]


@pytest.mark.parametrize("peer", list(PEERS))
def test_every_peer_matches_the_engine_on_a_small_swap_test_autoencoder(peer):
    circuit, trash = PatchCircuit((4, 4), patch=2, layers=2), (1, 3)
    params = circuit.init_params(1)
    patches = circuit.patches(np.random.default_rng(2).uniform(0, 1, (3, 4, 4)))
    p = {**params, "ref": np.zeros((circuit.n_qubits, 2))}
    spec = pc.GateList(4, pc.patch_gates(circuit), pc.trash_projector(4, trash)[None])
    values, grads = _runner(PEERS[peer], spec, True, 3)(pc.patch_angles(circuit, params, patches))
    assert np.abs(values[:, 0] - stf.fidelities(circuit, p, patches, trash)).max() < TOL
    # chain rule from the angles a = w x + b to the engine's parameters, for mean(1 - F)
    g = -grads.reshape((3,) + circuit.param_shape) / 3
    want = stf.loss_and_grad(circuit, p, patches, trash)[1]
    assert np.abs((g * patches[:, None]).sum(0) - want["w"]).max() < TOL
    assert np.abs(g.sum(0) - want["b"]).max() < TOL


@pytest.mark.parametrize("peer", list(PEERS))
def test_every_peer_runs_qcl_and_the_vqc_as_the_book_does(peer):
    from qmlhep.susy.qcl_circuit import QCLCircuit
    from qmlhep.susy.vqc_circuit import (
        ALPHA,
        feature_map,
        n_params,
        outcome_classes,
        variational_form,
    )
    from qmlhep.susy.vqc_sampling import input_states, statevector_counts

    rng = np.random.default_rng(3)
    X = rng.uniform(-1, 1, (4, 3))
    qcl = QCLCircuit(3, depth=2)
    theta = rng.uniform(0, 2 * np.pi, qcl.n_params)
    spec = pc.GateList(3, pc.qcl_gates(qcl), z_signs(3)[:2])
    values, grads = _runner(PEERS[peer], spec, False, 4)(pc.qcl_angles(qcl, X, theta))
    assert grads is None and np.abs(values - qcl.expectations(X, theta)).max() < TOL

    theta = rng.uniform(0, 2 * np.pi, n_params(3))
    classes = outcome_classes(3).astype(float)
    want = statevector_counts(input_states(feature_map(3), X), variational_form(3), theta, None, 0)
    spec = pc.GateList(3, pc.vqc_gates(3), classes[None])
    values, _ = _runner(PEERS[peer], spec, False, 4)(pc.vqc_angles(X, theta, ALPHA))
    assert np.abs(values[:, 0] - want @ classes).max() < TOL


@pytest.mark.slow
def test_a_comparison_names_the_fastest_peer_and_keeps_every_time():
    from qmlhep.tooling.benchmarks.vs_peers import qcl_comparison

    entry = qcl_comparison(3, events=20, peer_events=4)
    times = {k: v["per_sample_s"] for k, v in entry["peers"].items()}
    assert set(times) == set(PEERS) and entry["peer"] == min(times, key=times.get)
    assert entry["baseline_s"] == times[entry["peer"]] and entry["peer"] in entry["what"]
    assert entry["engine"]["batch"] == 20 and entry["machine"]["gflops"] > 0


@pytest.mark.slow
def test_batch_scaling_checks_the_peers_and_keeps_every_batch(monkeypatch, tmp_path):
    import json

    from qmlhep.tooling import bench_figures
    from qmlhep.tooling.benchmarks import batch_scaling

    monkeypatch.setattr(batch_scaling, "BATCHES", (1, 4, 10))  # "10" sorts before "4"
    monkeypatch.setattr(batch_scaling, "PEER_BATCHES", (1, 2))
    entry = batch_scaling.sqae_batch_scaling()
    assert set(entry["engine"]) == {"1", "4", "10"} and entry["engine"]["10"]["temp_bytes"] > 0
    assert set(entry["peers"]) == {"lightning.qubit", "qulacs"}
    assert all(set(times) == {"1", "2"} for times in entry["peers"].values())
    assert entry["baseline_s"] == min(t["1"] for t in entry["peers"].values())
    assert entry["fast_s"] == entry["engine"]["1"]["per_sample_s"]
    (tmp_path / "bench.json").write_text(json.dumps({"sqae.batch_scaling": entry}, sort_keys=True))
    monkeypatch.setenv("QMLHEP_BUILD_DIR", str(tmp_path))
    fig = bench_figures.plot_batch_scaling()
    assert len(fig.axes[0].lines) == 3  # the engine and both peers
    assert list(fig.axes[0].lines[0].get_xdata()) == [1, 4, 10]  # by batch, not by JSON key
