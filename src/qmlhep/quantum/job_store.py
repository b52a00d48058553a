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
Results are stored with IBM Runtime's JSON encoder (``PrimitiveResult`` with bit arrays).
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

    def __init__(self, job_id: str, result):
        self._job_id, self._result = job_id, result

    def job_id(self) -> str:
        return self._job_id

    def result(self):
        return self._result


class ResumableSampler:
    """``run(pubs, shots=)`` like a ``SamplerV2``, through a job store in ``directory``.

    ``pubs`` are ``(circuit, parameter_values)`` pairs. ``lookup(job_id)`` returns a job
    object for an id (default: the wrapped sampler cannot look jobs up, and a stored id
    without a result is an error saying how to recover). ``submitted`` counts the jobs
    this instance sent.
    """

    def __init__(self, sampler, directory: str | Path, backend_name: str,
                 lookup: Callable[[str], object] | None = None):
        self.sampler = sampler
        self.directory = Path(directory)
        self.backend_name = backend_name
        self.lookup = lookup
        self.submitted = 0

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def _write(self, key: str, entry: dict) -> None:
        from qiskit_ibm_runtime.json import RuntimeEncoder

        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            json.dump(entry, fh, cls=RuntimeEncoder)
        os.replace(tmp, self._path(key))

    def _read(self, key: str) -> dict | None:
        from qiskit_ibm_runtime.json import RuntimeDecoder

        path = self._path(key)
        return json.loads(path.read_text(), cls=RuntimeDecoder) if path.is_file() else None

    def run(self, pubs, shots: int | None = None) -> StoredJob:
        pubs = [(circuit, np.asarray(values, dtype=float)) for circuit, values in pubs]
        key = pub_key(self.backend_name, pubs, shots)
        entry = self._read(key)
        if entry is not None and entry.get("result") is not None:
            return StoredJob(entry["job_id"], entry["result"])
        if entry is not None:
            if self.lookup is None:
                raise RuntimeError(
                    f"job {entry['job_id']} was submitted but its result is not stored, and "
                    "this sampler has no lookup: pass lookup=QiskitRuntimeService().job to "
                    f"fetch it, or delete {self._path(key)} to submit again.")
            job = self.lookup(entry["job_id"])
        else:
            job = self.sampler.run(pubs, shots=shots)
            self.submitted += 1
            self._write(key, {"job_id": job.job_id(), "backend": self.backend_name,
                              "result": None})
        result = job.result()
        self._write(key, {"job_id": job.job_id(), "backend": self.backend_name,
                          "result": result})
        return StoredJob(job.job_id(), result)
