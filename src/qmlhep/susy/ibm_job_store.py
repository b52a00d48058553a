"""Sampler jobs kept on disk, so an interrupted hardware run resumes instead of resubmitting.

:class:`ResumableSampler` wraps a ``SamplerV2`` (for real hardware, IBM Runtime's). Each
call is keyed by the backend's name, the circuits (OpenQASM 3 text), the parameter values
and the shots. Before it submits, it looks in the store:

* a stored result is returned as it is (no job);
* a stored job id without a result (the notebook was stopped while the job was queued)
  is looked up with ``lookup(job_id)`` (``QiskitRuntimeService().job``) and waited for;
* otherwise the intent to submit is written first (which also proves the store is
  writable: nothing is submitted if it is not), then the job is submitted and its id
  written the moment it exists, *before* waiting for the result.

An intent without a job id (the process died between the two, or the id could not be
written) is never submitted again silently: the job may be on the device already, so the
error names the entry to delete (or ``retry=True``) once you have checked. A job that
failed or was cancelled on the device is recorded as such and reported with its entry;
``retry=True`` submits it again.

COBYLA is deterministic, so a re-run of the same fit asks for the same circuits and
parameters in the same order and is served from the store up to where it stopped.
The job id is stored as JSON, the measured bits of the result as NumPy arrays (``.npz``);
a stored result comes back as a ``PrimitiveResult`` of bit arrays, without metadata.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from qiskit import qasm3

from qmlhep.storage.atomic import StoreError, read_json, record_digest, seal, unseal, write_bytes


class JobStoreError(StoreError):
    """A stored call cannot be resumed automatically; the message names its entry."""


STATES = ("submitting", "submitted", "failed")
"""The states a job store entry can hold: the intent, the stored job id, a failed job."""


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

    def __init__(
        self,
        sampler,
        directory: str | Path,
        backend_name: str,
        lookup: Callable[[str], object] | None = None,
        resubmit_unfinished: bool = False,
        retry: bool = False,
    ):
        self.sampler = sampler
        self.resubmit_unfinished = resubmit_unfinished
        self.retry = retry
        self.directory = Path(directory)
        self.backend_name = backend_name
        self.lookup = lookup
        self.submitted = 0

    def _path(self, key: str, suffix: str = ".json") -> Path:
        return self.directory / f"{key}{suffix}"

    def _write_entry(self, key: str, **entry) -> None:
        entry = {"backend": self.backend_name, "time": time.time(), **entry}
        entry["sha256"] = record_digest(entry)
        write_bytes(self._path(key), json.dumps(entry).encode())

    def _read_entry(self, key: str) -> dict | None:
        """The entry of a call (None if none), verified: its digest and its state."""
        recover = (
            "it is a job store entry: if the job it names is needed, find it in your IBM "
            "Quantum job list, else delete the entry to submit again."
        )
        path = self._path(key)
        entry = read_json(path, recover)
        if entry is None:
            return None
        if entry.get("sha256") != record_digest(entry):
            raise StoreError(
                f"{path} does not match the sha256 written with it (altered by hand or by "
                f"another version); {recover}"
            )
        if entry.get("state") not in STATES:
            raise StoreError(
                f"{path} has the state {entry.get('state')!r}, not one of "
                f"{', '.join(STATES)}; {recover}"
            )
        return entry

    def _write_result(self, key: str, result) -> None:
        arrays = {}
        for i, pub in enumerate(result):
            for name, bits in pub.data.items():
                arrays[f"{i}/{name}"] = bits.array
                arrays[f"{i}/{name}/num_bits"] = np.array(bits.num_bits)
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        write_bytes(self._path(key, ".npz"), seal(buffer.getvalue()))

    def _read_result(self, key: str):
        """The stored measured bits as a ``PrimitiveResult`` (no metadata), or None."""
        # imported here, not at the top: optional dependencies (extras): qiskit
        from qiskit.primitives import BitArray, DataBin, PrimitiveResult, SamplerPubResult

        path = self._path(key, ".npz")
        if not path.is_file():
            return None
        recover = (
            "delete it: the job's counts are fetched from IBM Quantum again (the job id is "
            "in the entry beside it)"
        )
        payload = unseal(path.read_bytes())
        if payload is None:
            raise StoreError(
                f"the stored job result {path} does not match the sha256 written with it "
                f"(altered, cut short or empty); {recover}."
            )
        try:
            with np.load(io.BytesIO(payload)) as stored:
                pubs: dict[int, dict] = {}
                for name in stored.files:
                    index, register, *rest = name.split("/")
                    if not rest:
                        bits = BitArray(stored[name], int(stored[f"{name}/num_bits"]))
                        pubs.setdefault(int(index), {})[register] = bits
        except Exception as err:  # empty, truncated, not a zip, a key missing
            raise StoreError(
                f"the stored job result {path} cannot be read ({err!r}); {recover}."
            ) from err
        if not pubs:
            raise StoreError(f"the stored job result {path} holds no measurements; {recover}.")
        return PrimitiveResult(
            [
                SamplerPubResult(DataBin(**registers, shape=next(iter(registers.values())).shape))
                for _, registers in sorted(pubs.items())
            ]
        )

    def run(self, pubs, shots: int | None = None) -> StoredJob:
        """Run (or resume) one call; two processes running the same call at once take
        turns (a lock per call), so the second finds the first's job instead of
        submitting its own."""

        pubs = [(circuit, np.asarray(values, dtype=float)) for circuit, values in pubs]
        key = pub_key(self.backend_name, pubs, shots)
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self._path(key, ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return self._run(pubs, shots, key)

    def _run(self, pubs, shots: int | None, key: str) -> StoredJob:
        entry_path = self._path(key)
        entry = self._read_entry(key) or {}
        job_id = entry.get("job_id")
        stored = self._read_result(key)
        if stored is not None:
            return StoredJob(job_id, stored)
        state = entry.get("state", "submitted" if job_id else None)
        fresh = self.resubmit_unfinished or self.retry
        if state == "failed" and not self.retry:
            raise JobStoreError(
                f"job {job_id} failed on {self.backend_name} ({entry.get('error')}); delete "
                f"{entry_path} or pass retry=True to submit it again."
            )
        if state == "submitting" and not fresh:
            raise JobStoreError(
                f"a submission of this call was started but its job id was never stored "
                f"({entry_path}): the job may be on the device already. Check your IBM "
                "Quantum job list; then delete the entry (or pass retry=True) to submit it "
                "again."
            )
        if state == "submitted" and not fresh:
            if self.lookup is None:
                raise JobStoreError(
                    f"job {job_id} was submitted but its result is not stored, and this "
                    "sampler has no lookup: pass lookup=QiskitRuntimeService().job to fetch "
                    f"it, or delete {entry_path} to submit again."
                )
            job = self.lookup(job_id)
        else:
            self._write_entry(key, state="submitting")  # the intent: also proves writability
            job = self.sampler.run(pubs, shots=shots)
            self.submitted += 1
            job_id = job.job_id()
            try:
                self._write_entry(key, state="submitted", job_id=job_id)
            except OSError as err:
                raise JobStoreError(
                    f"job {job_id} was submitted but its id could not be stored in "
                    f"{entry_path} ({err}); note the id (look it up with "
                    "QiskitRuntimeService().job), free the disk, and run again: the call "
                    "will not be submitted twice."
                ) from err
        try:
            result = job.result()
        except KeyboardInterrupt:
            raise
        except Exception as err:  # failed or cancelled on the device
            self._write_entry(key, state="failed", job_id=job_id, error=repr(err)[:500])
            raise JobStoreError(
                f"job {job_id} failed on {self.backend_name}: {err!r}. Its entry is "
                f"{entry_path}: delete it or pass retry=True to submit it again."
            ) from err
        self._write_result(key, result)
        return StoredJob(job_id, self._read_result(key))
