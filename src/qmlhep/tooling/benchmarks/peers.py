"""Every peer simulator used the way its documentation recommends for batches of circuits.

Each ``*_runner(spec, gradient)`` takes a :class:`~.peer_circuits.GateList` and returns
``run(angles) -> (values, grads)``: ``angles`` ``(B, n_angles)``, ``values`` ``(B, k)`` the
expectations of the spec's ``k`` diagonal observables, ``grads`` ``(B, n_angles)`` the
gradient of the first observable's expectation with respect to every angle (``None``
without ``gradient``). The runners:

- :func:`pennylane_jax_runner`: ``default.qubit`` with JAX, parameter broadcasting over the
  batch, backpropagation, the whole step under ``jax.jit`` (its ``compile_s`` attribute is
  the time of tracing and compiling, measured apart);
- :func:`lightning_runner`: ``lightning.qubit``, adjoint differentiation of the observable
  as one Hamiltonian with lightning's own vector-Jacobian product (one backward sweep per
  sample), broadcasting for the forward pass;
- :func:`qulacs_runner`: one compiled ``ParametricQuantumCircuit`` whose angles are reset
  per sample, ``backprop`` for the gradient (Qulacs' reverse mode);
- :func:`aer_runner`: Qiskit Aer's ``EstimatorV2``, exact statevector expectations, every
  sample bound in one call (batched parameter binding); gradients by the parameter-shift
  rule (Aer has no adjoint), all ``2 n_angles`` shifted rows in the same call.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from collections.abc import Callable

import numpy as np

from qmlhep.tooling.bench import adaptive_time
from qmlhep.tooling.benchmarks.peer_circuits import GateList, z_strings

Runner = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray | None]]


def _pennylane_ops(spec: GateList, a, reverse_matrix_wires: bool = True) -> None:
    # imported here, not at the top: optional dependencies (extras): pennylane
    import pennylane as qml

    for g in spec.gates:
        if g.angle is not None:
            getattr(qml, g.name)(a[..., g.angle], wires=g.wires[0])
        elif g.name == "U":  # PennyLane lists the first wire as the most significant
            qml.QubitUnitary(g.matrix, wires=list(reversed(g.wires)))
        else:
            {"H": qml.Hadamard, "CNOT": qml.CNOT, "CZ": qml.CZ}[g.name](wires=list(g.wires))


def _hamiltonian(f: np.ndarray):
    # imported here, not at the top: optional dependencies (extras): pennylane
    import pennylane as qml

    coeffs, ops = [], []
    for c, wires in z_strings(f):
        coeffs.append(c)
        ops.append(qml.prod(*[qml.Z(q) for q in wires]) if wires else qml.Identity(0))
    return qml.Hamiltonian(coeffs, ops)


def pennylane_jax_runner(spec: GateList, gradient: bool, batch: int) -> Runner:
    """``default.qubit`` + JAX: all probabilities of a broadcast batch, jitted; compiled
    for batches of ``batch`` samples (the runner's ``compile_s``, ``flops`` and
    ``temp_bytes`` come from XLA's own analysis of that program)."""
    # imported here, not at the top: optional dependencies (extras): jax, pennylane
    import jax
    import jax.numpy as jnp
    import pennylane as qml

    n = spec.n_qubits
    F = jnp.asarray(spec.observables.T)  # (2**n, k)

    @qml.qnode(qml.device("default.qubit", wires=n), interface="jax", diff_method="backprop")
    def probs(a):
        _pennylane_ops(spec, a)
        return qml.probs(wires=list(reversed(range(n))))  # index bit q = qubit q

    def values(a):
        return probs(a) @ F

    if gradient:

        def loss(a):  # one forward pass: the summed first output, and every output
            v = values(a)
            return v[:, 0].sum(), v

        def step(a):
            (_, v), g = jax.value_and_grad(loss, has_aux=True)(a)
            return v, g

    else:

        def step(a):
            return values(a), None

    return _compiled(step, batch, spec.n_angles)


COMPILE_CAP_S = float(os.environ.get("QMLHEP_BENCH_COMPILE_CAP_S", "120"))
"""Seconds a jitted PennyLane program may take to start, compile and be timed (the
benchmark gives up beyond it and reports that it did; ``QMLHEP_BENCH_COMPILE_CAP_S``)."""


def _measure_jit(spec, gradient, batch, rows, out) -> None:
    import qmlhep  # noqa: F401  (Keras on JAX, as in every process of the book)

    run = pennylane_jax_runner(spec, gradient, batch)
    values, grads = run(rows)
    seconds = adaptive_time(lambda: run(rows))
    info = {k: getattr(run, k) for k in ("compile_s", "flops", "temp_bytes")}
    out.put({"values": values, "grads": grads, "seconds": seconds, **info})


def pennylane_jax_isolated(spec: GateList, gradient: bool, rows: np.ndarray) -> dict | None:
    """:func:`pennylane_jax_runner` compiled, checked and timed in a separate process that
    is stopped after :data:`COMPILE_CAP_S` (XLA can take many minutes to compile a
    gradient through hundreds of unrolled gates): ``{"values", "grads", "seconds",
    "compile_s", "flops", "temp_bytes"}``, or ``None`` if it ran out of time."""

    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    proc = context.Process(target=_measure_jit, args=(spec, gradient, len(rows), rows, out))
    proc.start()
    try:
        return out.get(timeout=COMPILE_CAP_S)
    except queue.Empty:
        return None
    finally:
        proc.terminate()
        proc.join()


def _compiled(step, batch: int, n_angles: int) -> Runner:
    # imported here, not at the top: optional dependencies (extras): jax
    import jax
    import jax.numpy as jnp

    # imported here, not at the top: it needs jax, pennylane (an extra), this module does not
    from qmlhep.bsm.qae_circuit import quiet_trace

    start = time.perf_counter()
    with quiet_trace(), jax.enable_x64(True):
        example = jnp.zeros((batch, n_angles))
        compiled = jax.jit(step).lower(example).compile()
    compile_s = time.perf_counter() - start

    def run(angles):
        with jax.enable_x64(True):
            out = jax.block_until_ready(compiled(jnp.asarray(angles, jnp.float64)))
        return np.asarray(out[0]), None if out[1] is None else np.asarray(out[1])

    run.compile_s = compile_s
    run.batch = batch
    cost = compiled.cost_analysis()
    cost = cost[0] if isinstance(cost, list) else cost
    run.flops = float(cost["flops"]) if cost and "flops" in cost else None
    run.temp_bytes = int(compiled.memory_analysis().temp_size_in_bytes)
    return run


def lightning_runner(spec: GateList, gradient: bool) -> Runner:
    """``lightning.qubit``: adjoint gradient per sample (``device_vjp``); broadcast forward."""
    # imported here, not at the top: optional dependencies (extras): pennylane
    import pennylane as qml
    from pennylane import numpy as pnp

    device = qml.device("lightning.qubit", wires=spec.n_qubits)
    observables = [_hamiltonian(f) for f in spec.observables]

    @qml.qnode(device, diff_method="adjoint")
    def expvals(a):
        _pennylane_ops(spec, a)
        return [qml.expval(h) for h in observables]

    @qml.qnode(device, diff_method="adjoint", device_vjp=True)  # one backward sweep
    def first(a):
        _pennylane_ops(spec, a)
        return qml.expval(observables[0])

    grad = qml.grad(first)

    def run(angles):
        if not gradient:
            return np.stack(expvals(angles), axis=-1).reshape(len(angles), -1), None
        values, grads = [], []
        for a in angles:
            a = pnp.array(a, requires_grad=True)
            values.append(float(first(a)))
            grads.append(grad(a))
        return np.array(values)[:, None], np.array(grads)

    return run


def qulacs_runner(spec: GateList, gradient: bool) -> Runner:
    """Qulacs: one ``ParametricQuantumCircuit``, angles reset per sample, ``backprop``.

    Qulacs' rotations are ``exp(+i θ P / 2)``, so every angle enters with its sign flipped
    (and so does every gradient)."""
    # imported here, not at the top: optional dependencies (extras): qulacs
    from qulacs import Observable, ParametricQuantumCircuit, QuantumState
    from qulacs.gate import CNOT, CZ, DenseMatrix, H

    n = spec.n_qubits
    circuit = ParametricQuantumCircuit(n)
    slots = []  # angle index of every parametric gate, in Qulacs' parameter order
    for g in spec.gates:
        if g.angle is not None:
            getattr(circuit, f"add_parametric_{g.name}_gate")(g.wires[0], 0.0)
            slots.append(g.angle)
        elif g.name == "U":
            circuit.add_gate(DenseMatrix(list(g.wires), g.matrix))
        else:
            circuit.add_gate({"H": H, "CNOT": CNOT, "CZ": CZ}[g.name](*g.wires))
    observables = []
    for f in spec.observables:
        obs = Observable(n)
        for c, wires in z_strings(f):
            obs.add_operator(c, " ".join(f"Z {q}" for q in wires))
        observables.append(obs)
    slots = np.array(slots)
    state = QuantumState(n)

    def run(angles):
        values = np.empty((len(angles), len(observables)))
        grads = np.zeros(angles.shape) if gradient else None
        for i, a in enumerate(angles):
            for k, v in enumerate(-a[slots]):
                circuit.set_parameter(k, v)
            state.set_zero_state()
            circuit.update_quantum_state(state)
            values[i] = [obs.get_expectation_value(state) for obs in observables]
            if gradient:
                np.add.at(grads[i], slots, -np.asarray(circuit.backprop(observables[0])))
        return values, grads

    return run


def aer_runner(spec: GateList, gradient: bool) -> Runner:
    """Qiskit Aer ``EstimatorV2``, exact (statevector), batched parameter binding; the
    gradient by parameter shift (rows ``a ± π/2 e_j``) in the same primitive call."""
    # imported here, not at the top: optional dependencies (extras): qiskit, qiskit_aer
    from qiskit import QuantumCircuit
    from qiskit.circuit import ParameterVector
    from qiskit.circuit.library import UnitaryGate
    from qiskit.quantum_info import SparsePauliOp
    from qiskit_aer.primitives import EstimatorV2

    n, m = spec.n_qubits, spec.n_angles
    a = ParameterVector("a", m)
    qc = QuantumCircuit(n)
    for g in spec.gates:
        if g.angle is not None:
            getattr(qc, g.name.lower())(a[g.angle], g.wires[0])
        elif g.name == "U":
            qc.append(UnitaryGate(g.matrix, check_input=False), list(g.wires))
        else:
            getattr(qc, {"H": "h", "CNOT": "cx", "CZ": "cz"}[g.name])(*g.wires)
    order = [p.index for p in qc.parameters]  # Qiskit's parameter order
    observables = [
        SparsePauliOp.from_sparse_list([("Z" * len(w), list(w), c) for c, w in z_strings(f)], n)
        for f in spec.observables
    ]
    estimator = EstimatorV2(options={"default_precision": 0.0})
    shifts = np.concatenate([np.zeros((1, m)), np.pi / 2 * np.eye(m), -np.pi / 2 * np.eye(m)])

    def run(angles):
        if not gradient:
            obs = [observables]  # shape (1, k), broadcast against (B, 1) parameter rows
            rows = angles[:, None, order]
            values = estimator.run([(qc, obs, rows)]).result()[0].data.evs
            return np.asarray(values).reshape(len(angles), -1), None
        rows = (angles[:, None, :] + shifts[None])[..., order]  # (B, 1 + 2m, m)
        evs = np.asarray(estimator.run([(qc, observables[0], rows)]).result()[0].data.evs)
        return evs[:, :1], (evs[:, 1 : 1 + m] - evs[:, 1 + m :]) / 2

    return run


PEERS: dict[str, Callable[..., Runner]] = {
    "pennylane default.qubit + JAX (jit, broadcasting, backprop)": pennylane_jax_runner,
    "lightning.qubit (adjoint, device VJP)": lightning_runner,
    "qulacs (ParametricQuantumCircuit, backprop)": qulacs_runner,
    "qiskit-aer EstimatorV2 (statevector, batched binding, parameter shift)": aer_runner,
}
"""Every peer configuration a ``{c}.vs_best_peer`` benchmark times, by the name it reports."""
