"""IBM devices for the VQC: the 2020 20-qubit machines as noise models, and real hardware.

The paper ran on IBM Q Johannesburg and Boeblingen (both retired). Their last calibration
survives in qiskit-ibm-runtime as ``FakeJohannesburgV2`` and ``FakeBoeblingenV2``: qubit
connectivity, basis gates, gate and readout errors, T1/T2. :func:`noisy_sampler` runs
circuits transpiled to such a device on Aer with its noise model (density matrix, exact
for the few active qubits). :func:`readout_mitigator` calibrates M3 measurement-error
mitigation on the same model.

Real hardware: :func:`ibm_service` opens the reader's IBM Quantum account (saved with
``QiskitRuntimeService.save_account`` or given in ``QISKIT_IBM_TOKEN``; the token is
passed on, never printed or stored), and :func:`hardware_sampler` wraps IBM Runtime's
sampler in a :class:`~qmlhep.susy.ibm_job_store.ResumableSampler`.
"""

from __future__ import annotations

import importlib.util
import os
from datetime import datetime
from pathlib import Path

DEVICES = {"johannesburg": "FakeJohannesburgV2", "boeblingen": "FakeBoeblingenV2"}


def fake_device(name: str, seed: int | None = None):
    """The noise-model backend of one of :data:`DEVICES` (its simulator seeded with ``seed``)."""
    # imported here, not at the top: optional dependencies (extras): qiskit_ibm_runtime
    from qiskit_ibm_runtime import fake_provider

    if name not in DEVICES:
        raise KeyError(f"unknown device {name!r}; known: {', '.join(DEVICES)}")
    backend = getattr(fake_provider, DEVICES[name])()
    if seed is not None:
        backend.set_options(seed_simulator=seed)
    return backend


def calibration_date(backend) -> datetime:
    """When the device's stored calibration (gate and readout errors) was taken."""
    return backend.properties().last_update_date


def readout_errors(backend, qubits) -> list[float]:
    """Readout-error probability of each of ``qubits`` in the stored calibration."""
    return [backend.properties().readout_error(q) for q in qubits]


def noisy_sampler(backend, seed: int):
    """Aer's ``SamplerV2`` with ``backend``'s noise model (density-matrix method).

    One thread per sampler: the chapters run trials in parallel processes, and Aer's own
    threads would only compete with them for the same cores.
    """
    # imported here, not at the top: optional dependencies (extras): qiskit_aer
    from qiskit_aer.noise import NoiseModel
    from qiskit_aer.primitives import SamplerV2

    options = {
        "noise_model": NoiseModel.from_backend(backend),
        "method": "density_matrix",
        "max_parallel_threads": 1,
    }
    return SamplerV2(seed=seed, options={"backend_options": options})


MITIGATION_MISSING = (
    "M3 readout mitigation needs the `mthree` package, which is not installed here (it has "
    "no wheel for Python 3.13 yet; `pip install mthree` on Python 3.11 or 3.12). The "
    "mitigated results are skipped; everything else runs."
)


def mitigation_available() -> bool:
    """Whether M3 (``mthree``) can be imported here."""

    return importlib.util.find_spec("mthree") is not None


def readout_mitigator(backend, qubits, shots: int = 10_000):
    """M3 mitigation calibrated on ``backend`` for the physical ``qubits``.

    The calibration circuits run on the backend itself (seed it with
    ``fake_device(name, seed)`` for reproducible numbers). Without ``mthree`` (Python
    3.13) an ImportError says so (:data:`MITIGATION_MISSING`).
    """
    if not mitigation_available():
        raise ImportError(MITIGATION_MISSING)
    # imported here, not at the top: optional dependencies (extras): mthree
    import mthree

    mitigator = mthree.M3Mitigation(backend)
    mitigator.cals_from_system(list(qubits), shots=shots, async_cal=False)
    return mitigator


def ibm_service():
    """``QiskitRuntimeService`` from ``QISKIT_IBM_TOKEN`` (and optional ``QISKIT_IBM_INSTANCE``,
    ``QISKIT_IBM_CHANNEL``) or else from the saved account. The token is never printed."""
    # imported here, not at the top: optional dependencies (extras): qiskit_ibm_runtime
    from qiskit_ibm_runtime import QiskitRuntimeService

    token = os.environ.get("QISKIT_IBM_TOKEN")
    if not token:
        try:
            return QiskitRuntimeService()
        except Exception as err:  # the message names the missing account, not a secret
            raise RuntimeError(
                "no IBM Quantum account: save one with QiskitRuntimeService.save_account"
                "(token=..., channel='ibm_quantum_platform') or set QISKIT_IBM_TOKEN"
            ) from err
    return QiskitRuntimeService(
        channel=os.environ.get("QISKIT_IBM_CHANNEL", "ibm_quantum_platform"),
        token=token,
        instance=os.environ.get("QISKIT_IBM_INSTANCE"),
    )


def hardware_sampler(backend, store: str | Path, lookup=None):
    """IBM Runtime's (client-side) ``Sampler`` on ``backend`` behind a job store in ``store``.

    ``backend`` is a real device (``ibm_service().backend(name)``, then pass
    ``lookup=service.job``) or a fake one (local testing mode, same code path; its jobs
    run in this process, so one that never finished is simply run again).
    """
    # imported here, not at the top: optional dependencies (extras): qiskit_ibm_runtime
    from qiskit_ibm_runtime.executor_sampler import Sampler
    from qiskit_ibm_runtime.fake_provider.fake_backend import FakeBackendV2

    # imported here, not at the top: it needs qiskit (an extra), this module does not
    from qmlhep.susy.ibm_job_store import ResumableSampler

    return ResumableSampler(
        Sampler(mode=backend),
        store,
        backend.name,
        lookup=lookup,
        resubmit_unfinished=isinstance(backend, FakeBackendV2),
    )
