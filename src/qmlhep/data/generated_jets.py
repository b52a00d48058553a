"""``generate_qg_jets``: a quark/gluon jet sample made on this machine, cached by settings.

Calls :func:`qmlhep.data.pythia_jets.generate_chunk` for fixed chunks of jets in worker
processes (joblib), with a progress bar, and writes the sample once into the data
layer's cache (``QMLHEP_CACHE_DIR/generated/``): atomically, its sha256 in its name.
A second call with the same settings, size and seed reads and verifies that file
instead of generating again. The file holds ``X`` (N, M, 4), ``y`` (quark = 1), the
settings (JSON), the seed and the generation speed.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from joblib.externals.loky import get_reusable_executor

from qmlhep import config
from qmlhep.data.files import ChecksumError, Provenance, sha256sum
from qmlhep.data.labelled import Labelled
from qmlhep.data.pythia_jets import CHUNK_JETS, JetSettings, generate_chunk, settings_dict
from qmlhep.data.toy_detector import smear
from qmlhep.fitting.checkpoints import Checkpoint
from qmlhep.fitting.progress import bar
from qmlhep.storage import keys
from qmlhep.storage.atomic import warn_unsaved, write_bytes

KINDS = ("quark", "gluon")


@dataclass
class GeneratedJets(Labelled):
    """Generated jets (EnergyFlow layout), labels (quark = 1) and how they were made."""

    settings: dict | None = None
    jets_per_s: float = float("nan")
    """Jets per second of wall time when the file was generated (all workers together)."""
    from_cache: bool = False


PYTHIA_MAX_SEED = 900_000_000
"""The largest seed Pythia accepts (``Random:seed``, 1 .. 900,000,000)."""
CHUNKS_PER_KIND = 100_000
MAX_SEED = (PYTHIA_MAX_SEED - 1) // (2 * CHUNKS_PER_KIND) - 1
"""The largest sample seed whose every chunk seed stays within Pythia's range."""


def _chunk_seed(seed: int, kind: str, chunk: int) -> int:
    """Pythia seed of one chunk (Pythia accepts 1 .. 900,000,000): distinct for every
    sample seed, kind and chunk."""
    return 1 + (seed * 2 + KINDS.index(kind)) * CHUNKS_PER_KIND + chunk


def _tasks(n_per_class: int, seed: int):
    for kind in KINDS:
        for chunk in range(math.ceil(n_per_class / CHUNK_JETS)):
            yield (
                kind,
                _chunk_seed(seed, kind, chunk),
                min(CHUNK_JETS, n_per_class - chunk * CHUNK_JETS),
            )


GENERATOR_MODULES = (
    "qmlhep.data.pythia_jets",
    "qmlhep.data.generated_jets",
    "qmlhep.data.toy_detector",
)
"""The code that makes a generated sample: part of its key, so a change of the generator
never serves jets the old code made."""


def _key(settings: dict, n_per_class: int, seed: int) -> str:
    spec = {"settings": settings, "n": n_per_class, "seed": seed}
    return keys.key(spec, modules=GENERATOR_MODULES)[:16]


def _write(path: Path, arrays: dict) -> Path:
    """Store the sample atomically as ``<stem>.<sha256[:16]>.npz``: the checksum is part of
    the name, so the data and their checksum are written by one rename and can never
    disagree, whoever else writes at the same time; returns the file."""

    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    data = buffer.getvalue()
    final = path.with_name(f"{path.stem}.{hashlib.sha256(data).hexdigest()[:16]}.npz")
    write_bytes(final, data)
    return final


def _stored(path: Path) -> Path | None:
    """The stored sample for ``path`` (``<stem>.<sha>.npz``), if any."""
    found = sorted(path.parent.glob(f"{path.stem}.*.npz"))
    return found[0] if found else None


def _read(path: Path) -> tuple[dict, str]:
    digest = sha256sum(path)
    expected = path.suffixes[-2].lstrip(".")
    if not digest.startswith(expected):
        raise ChecksumError(
            f"{path} has sha256 {digest}, but its name records {expected}… "
            "from when it was generated: it is corrupted. Delete it to "
            "generate the sample again."
        )
    try:
        with np.load(path) as f:
            arrays = {k: f[k] for k in f.files}
    except (ValueError, OSError, EOFError) as err:
        raise ChecksumError(
            f"{path} cannot be read ({err}); delete it to generate the sample again."
        ) from err
    missing = {"X", "y", "settings", "seed"} - set(arrays)
    if missing:
        raise ChecksumError(
            f"{path} lacks {sorted(missing)} (not a sample this generator wrote); delete it "
            "to generate the sample again."
        )
    return arrays, digest


def _pad_concat(arrays: list[np.ndarray]) -> np.ndarray:
    width = max(a.shape[1] for a in arrays)
    return np.concatenate([np.pad(a, ((0, 0), (0, width - a.shape[1]), (0, 0))) for a in arrays])


def generate_qg_jets(
    n_per_class: int,
    seed: int = 0,
    n_jobs: int = 2,
    detector: str | None = None,
    progress: bool = True,
) -> GeneratedJets:
    """``n_per_class`` quark and as many gluon jets, shuffled with ``seed``; cached.

    ``detector="toy"`` passes the particles through :func:`qmlhep.data.toy_detector.smear`
    (a toy, off by default). Output is identical for any ``n_jobs``.
    """

    if detector not in (None, "toy"):
        raise ValueError(f"detector must be None or 'toy', got {detector!r}.")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValueError(
            f"generate_qg_jets: seed={seed!r} must be an integer from 0 to {MAX_SEED:,} (each "
            f"chunk's Pythia seed is derived from it and must stay within Pythia's 1 .. "
            f"{PYTHIA_MAX_SEED:,})."
        )
    if (
        isinstance(n_per_class, bool)
        or not isinstance(n_per_class, int)
        or not (0 < n_per_class <= CHUNKS_PER_KIND * CHUNK_JETS)
    ):
        raise ValueError(
            f"generate_qg_jets: n_per_class={n_per_class!r} must be an integer from 1 to "
            f"{CHUNKS_PER_KIND * CHUNK_JETS:,}."
        )
    base = settings_dict(JetSettings("quark"))
    settings = {**{k: v for k, v in base.items() if k != "kind"}, "detector": detector}
    path = config.cache_dir() / "generated" / f"qg_pythia_{_key(settings, n_per_class, seed)}.npz"
    stored = _stored(path)
    if stored is None:
        tasks = list(_tasks(n_per_class, seed))
        # every chunk is kept as soon as it is made: an interrupted generation resumes
        chunk_ckpts = {
            task: Checkpoint("pythia_chunk", {"settings": settings, "task": task}) for task in tasks
        }
        done = {task: ckpt.load() for task, ckpt in chunk_ckpts.items()}
        todo = [task for task, chunk in done.items() if chunk is None]
        previous = time.perf_counter()
        chunks = Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(generate_chunk)(replace(JetSettings("quark"), kind=kind), chunk_seed, n)
            for kind, chunk_seed, n in todo
        )
        for task, chunk in zip(
            todo,
            bar(
                chunks,
                total=len(tasks),
                initial=len(tasks) - len(todo),
                desc="Pythia chunks",
                enabled=progress,
            ),
            strict=True,
        ):
            now = time.perf_counter()  # wall time per chunk, all workers together
            done[task], previous = {"X": chunk, "seconds": now - previous}, now
            chunk_ckpts[task].save(done[task])

        get_reusable_executor().shutdown(wait=True)  # idle workers would hold ~0.5 GB
        seconds = sum(chunk["seconds"] for chunk in done.values())
        X = _pad_concat([done[task]["X"] for task in tasks])
        y = np.concatenate(
            [np.full(n, int(kind == "quark"), dtype=np.int8) for kind, _, n in tasks]
        )
        if detector == "toy":
            X = smear(X, seed)
        order = np.random.default_rng(seed).permutation(len(y))
        stored = _write(
            path,
            {
                "X": X[order],
                "y": y[order],
                "settings": json.dumps(settings),
                "seed": seed,
                "jets_per_s": len(y) / seconds,
            },
        )
        for ckpt in chunk_ckpts.values():  # the whole sample is stored now
            try:
                ckpt.path.unlink(missing_ok=True)
            except OSError as err:  # e.g. a file where the checkpoint folder should be
                warn_unsaved(ckpt.path, err, "a finished chunk's checkpoint stays behind")
        from_cache = False
    else:
        from_cache = True
    arrays, digest = _read(stored)
    prov = Provenance(
        "qg_pythia",
        f"generated-{detector or 'truth'}",
        "cache" if from_cache else "generated",
        (str(stored),),
        (digest,),
        len(arrays["y"]),
    )
    return GeneratedJets(
        arrays["X"],
        arrays["y"],
        prov,
        json.loads(str(arrays["settings"])),
        float(arrays["jets_per_s"]),
        from_cache,
    )
