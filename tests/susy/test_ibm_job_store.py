"""The hardware job store never loses a job and never submits the same call twice: its
intent is written before submitting (nothing is submitted if the store is not writable),
an intent without a job id is never resubmitted silently, and a job that failed on the
device is reported with its entry."""

from __future__ import annotations

import json

import numpy as np
import pytest
from qiskit_aer.primitives import SamplerV2

from qmlhep.storage.atomic import StoreError, record_digest
from qmlhep.susy.ibm_job_store import JobStoreError, ResumableSampler
from qmlhep.susy.vqc_circuit import vqc_circuit
from qmlhep.susy.vqc_sampling import sampled_counts

CIRCUIT = vqc_circuit(3, "foe")
X, THETA = np.zeros((2, 3)), np.zeros(CIRCUIT.num_parameters - 3)


class Device:
    """A sampler counting submissions; its jobs can be made to fail."""

    def __init__(self, fail: bool = False):
        self.inner, self.calls, self.fail = SamplerV2(seed=1), 0, fail

    def run(self, pubs, shots=None):
        self.calls += 1
        job = self.inner.run(pubs, shots=shots)
        if self.fail:

            class Failed:
                def job_id(self):
                    return job.job_id()

                def result(self):
                    raise RuntimeError("Job cancelled on the device")

            return Failed()
        return job


def _run(store):
    return sampled_counts(store, CIRCUIT, X, THETA, 50)


def test_nothing_is_submitted_when_the_store_cannot_be_written(tmp_path):
    blocked = tmp_path / "store"
    blocked.write_text("a file where the folder should be")
    device = Device()
    with pytest.raises(OSError):
        _run(ResumableSampler(device, blocked, "dev"))
    assert device.calls == 0


def test_a_crash_between_submitting_and_storing_the_id_never_resubmits(tmp_path, monkeypatch):
    device = Device()
    store = ResumableSampler(device, tmp_path, "dev")
    original = store._write_entry

    def disk_full(key, **entry):
        if entry.get("state") == "submitted":
            raise OSError(28, "No space left on device")
        return original(key, **entry)

    monkeypatch.setattr(store, "_write_entry", disk_full)
    with pytest.raises(JobStoreError, match="was submitted but its id could not be stored"):
        _run(store)
    assert device.calls == 1
    (entry,) = tmp_path.glob("*.json")
    assert json.loads(entry.read_text())["state"] == "submitting"
    again = Device()
    with pytest.raises(JobStoreError, match=f"{entry.name}.*may be on the device already"):
        _run(ResumableSampler(again, tmp_path, "dev"))
    assert again.calls == 0  # never twice
    retried = Device()
    _run(ResumableSampler(retried, tmp_path, "dev", retry=True))
    assert retried.calls == 1


def test_a_failed_job_is_reported_with_its_entry_and_retried_on_request(tmp_path):
    with pytest.raises(JobStoreError, match="failed on dev.*cancelled.*retry=True"):
        _run(ResumableSampler(Device(fail=True), tmp_path, "dev"))
    (entry,) = tmp_path.glob("*.json")
    assert json.loads(entry.read_text())["state"] == "failed"
    quiet = Device()
    with pytest.raises(JobStoreError, match=entry.name):
        _run(ResumableSampler(quiet, tmp_path, "dev"))
    assert quiet.calls == 0
    retried = Device()
    counts = _run(ResumableSampler(retried, tmp_path, "dev", retry=True))
    assert retried.calls == 1 and counts.sum() == 100


def test_a_corrupted_entry_is_named(tmp_path):
    _run(ResumableSampler(Device(), tmp_path, "dev"))
    (entry,) = tmp_path.glob("*.json")
    entry.write_text("{trunc")
    for result in tmp_path.glob("*.npz"):
        result.unlink()
    with pytest.raises(StoreError, match=f"{entry.name}.*IBM Quantum job list"):
        _run(ResumableSampler(Device(), tmp_path, "dev"))


def test_two_processes_running_the_same_call_submit_it_once(tmp_path):
    import threading

    device = Device()
    results = []

    def worker():
        results.append(_run(ResumableSampler(device, tmp_path, "dev")).sum())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert device.calls == 1 and results == [100, 100]


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04trunc", b"not a zip at all"])
def test_an_empty_truncated_or_foreign_result_file_is_named(tmp_path, content):
    _run(ResumableSampler(Device(), tmp_path, "dev"))
    (result,) = tmp_path.glob("*.npz")
    result.write_bytes(content)
    with pytest.raises(StoreError, match=f"{result.name}.*fetched from IBM Quantum again"):
        _run(ResumableSampler(Device(), tmp_path, "dev"))


def test_a_result_file_without_measurements_is_not_a_result(tmp_path):
    import io

    import numpy as np

    _run(ResumableSampler(Device(), tmp_path, "dev"))
    (result,) = tmp_path.glob("*.npz")
    from qmlhep.storage.atomic import seal

    buffer = io.BytesIO()
    np.savez(buffer)
    result.write_bytes(seal(buffer.getvalue()))  # intact, but empty
    with pytest.raises(StoreError, match="holds no measurements"):
        _run(ResumableSampler(Device(), tmp_path, "dev"))


def test_an_altered_but_loadable_result_is_refused_not_served(tmp_path):
    import io

    from qmlhep.storage.atomic import unseal

    _run(ResumableSampler(Device(), tmp_path, "dev"))
    (result,) = tmp_path.glob("*.npz")
    head, _, payload = result.read_bytes().partition(b"\n")
    with np.load(io.BytesIO(unseal(result.read_bytes()))) as f:
        arrays = {k: f[k] for k in f.files}
    flipped = {k: (np.full_like(v, 255) if v.ndim > 1 else v) for k, v in arrays.items()}
    buffer = io.BytesIO()
    np.savez(buffer, **flipped)
    result.write_bytes(head + b"\n" + buffer.getvalue())  # loadable, other counts
    with pytest.raises(StoreError, match=f"{result.name} does not match the sha256"):
        _run(ResumableSampler(Device(), tmp_path, "dev"))


@pytest.mark.parametrize("edit", ["state", "job_id"])
def test_an_edited_entry_is_refused_and_nothing_is_submitted(tmp_path, edit):
    _run(ResumableSampler(Device(), tmp_path, "dev"))
    (entry,) = tmp_path.glob("*.json")
    data = json.loads(entry.read_text())
    if edit == "state":  # well formed, digest and all, but a state the store never writes
        data["state"] = "bogus"
        data["sha256"] = record_digest(data)
    else:  # another job's id: the digest no longer matches
        data["job_id"] = "someone-else"
    entry.write_text(json.dumps(data))
    for result in tmp_path.glob("*.npz"):
        result.unlink()
    device = Device()
    with pytest.raises(StoreError, match=entry.name):
        _run(ResumableSampler(device, tmp_path, "dev"))
    assert device.calls == 0  # never a duplicate job on the hardware
