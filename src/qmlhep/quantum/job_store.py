"""Sampler jobs kept on disk, so an interrupted hardware run resumes instead of resubmitting.

:class:`ResumableSampler` wraps a ``SamplerV2`` (for real hardware, IBM Runtime's). Each
call is keyed by the backend's name, the circuits (OpenQASM 3 text), the parameter values
and the shots. Before it submits, it looks in the store:

* a stored result is returned as it is (no job);
* a stored job id without a result (the notebook was stopped while the job was queued)
  is looked up with ``lookup(job_id)`` (``QiskitRuntimeService().job``) and waited for;
* otherwise the job is submitted and its id written *before* waiting for the result.

COBYLA is deterministic, so a re-run of the same fit asks for the same circuits and
parameters in the same order and is served from the store up to where it stopped.
The job id is stored as JSON, the measured bits of the result as NumPy arrays (``.npz``);
a stored result comes back as a ``PrimitiveResult`` of bit arrays, without metadata.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Callable

import numpy as np
from qiskit import qasm3


def pub_key(backend_name: str, pubs, shots: int | None) -> str:
    """A hash of what a sampler call computes: backend, circuits, parameter values, shots."""
    digest = hashlib.sha256(f"{backend_name}|{shots}".encode())
    for circuit, values in pubs:
        digest.update(qasm3.dumps(circuit).encode())
        digest.update(np.ascontiguousarray(values, dtype=float).tobytes())
    return digest.hexdigest()[:32]


class StoredJob:
    """A finished call: ``result()`` returns the stored result, ``job_id()`` its id."""

    def __init__(self, job_id: str | None, result):
        self._job_id, self._result = job_id, result

    def job_id(self) -> str | None:
        return self._job_id

    def result(self):
        return self._result


class ResumableSampler:
    """``run(pubs, shots=)`` like a ``SamplerV2``, through a job store in ``directory``.

    ``pubs`` are ``(circuit, parameter_values)`` pairs. ``lookup(job_id)`` returns a job
    object for an id (default: the wrapped sampler cannot look jobs up, and a stored id
    without a result is an error saying how to recover). ``resubmit_unfinished`` sends such
    a job again instead: right for local simulators, whose jobs die with the notebook.
    ``submitted`` counts the jobs this instance sent.
    """

    def __init__(self, sampler, directory: str | Path, backend_name: str,
                 lookup: Callable[[str], object] | None = None,
                 resubmit_unfinished: bool = False):
        self.sampler = sampler
        self.resubmit_unfinished = resubmit_unfinished
        self.directory = Path(directory)
        self.backend_name = backend_name
        self.lookup = lookup
        self.submitted = 0

    def _path(self, key: str, suffix: str = ".json") -> Path:
        return self.directory / f"{key}{suffix}"

    def _atomic(self, path: Path, write) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)

    def _write_job(self, key: str, job_id: str) -> None:
        entry = json.dumps({"job_id": job_id, "backend": self.backend_name}).encode()
        self._atomic(self._path(key), lambda fh: fh.write(entry))

    def _write_result(self, key: str, result) -> None:
        arrays = {}
        for i, pub in enumerate(result):
            for name, bits in pub.data.items():
                arrays[f"{i}/{name}"] = bits.array
                arrays[f"{i}/{name}/num_bits"] = np.array(bits.num_bits)
        self._atomic(self._path(key, ".npz"), lambda fh: np.savez(fh, **arrays))

    def _read_result(self, key: str):
        """The stored measured bits as a ``PrimitiveResult`` (no metadata), or None."""
        from qiskit.primitives import BitArray, DataBin, PrimitiveResult, SamplerPubResult

        path = self._path(key, ".npz")
        if not path.is_file():
            return None
        with np.load(path) as stored:
            pubs: dict[int, dict] = {}
            for name in stored.files:
                index, register, *rest = name.split("/")
                if not rest:
                    bits = BitArray(stored[name], int(stored[f"{name}/num_bits"]))
                    pubs.setdefault(int(index), {})[register] = bits
        return PrimitiveResult([SamplerPubResult(DataBin(**registers,
                                                         shape=next(iter(registers.values())).shape))
                                for _, registers in sorted(pubs.items())])

    def run(self, pubs, shots: int | None = None) -> StoredJob:
        pubs = [(circuit, np.asarray(values, dtype=float)) for circuit, values in pubs]
        key = pub_key(self.backend_name, pubs, shots)
        entry_path = self._path(key)
        job_id = json.loads(entry_path.read_text())["job_id"] if entry_path.is_file() else None
        stored = self._read_result(key)
        if stored is not None:
            return StoredJob(job_id, stored)
        if job_id is not None and not self.resubmit_unfinished:
            if self.lookup is None:
                raise RuntimeError(
                    f"job {job_id} was submitted but its result is not stored, and this "
                    "sampler has no lookup: pass lookup=QiskitRuntimeService().job to fetch "
                    f"it, or delete {entry_path} to submit again.")
            job = self.lookup(job_id)
        else:
            job = self.sampler.run(pubs, shots=shots)
            self.submitted += 1
            self._write_job(key, job.job_id())
        result = job.result()
        self._write_result(key, result)
        return StoredJob(job.job_id(), self._read_result(key))
