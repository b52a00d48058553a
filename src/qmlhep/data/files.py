"""Find, download and verify dataset files: one code path online and offline.

A file is looked up, in order, in every folder of ``QMLHEP_DATA_DIR`` (as
``<dir>/<dataset>/<file>`` or ``<dir>/<file>``), then in the download cache
(``QMLHEP_CACHE_DIR/<dataset>/<file>``). Only when it is in neither is it downloaded,
from each registered URL in turn. Downloads are written to a temporary file in the
cache folder, checked against the registered sha256, and only then renamed into place,
so an interrupted or corrupted download never leaves a file behind, and a file already
in the cache is never overwritten.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import signal
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from qmlhep import config
from qmlhep.data import usage
from qmlhep.data.registry import DATASETS, Dataset, FileSpec
from qmlhep.fitting.progress import bar
from qmlhep.storage.atomic import clean_leftovers as clean


class DataError(RuntimeError):
    """Base class of every data-layer error; the message says how to fix it."""


class DataNotFoundError(DataError):
    """The file is neither on disk nor downloadable right now."""


class ChecksumError(DataError):
    """A file's sha256 is not the registered one (truncated, corrupted or a different file)."""


class DataSchemaError(DataError):
    """A file opened but does not have the expected layout (keys, columns, values)."""


@dataclass(frozen=True)
class Provenance:
    """Where the arrays a loader returned came from."""

    dataset: str
    variant: str
    source: str  # "data dir", "cache" or "download"
    files: tuple[str, ...]
    sha256: tuple[str, ...]
    rows: int

    def __str__(self) -> str:
        names = ", ".join(Path(f).name for f in self.files)
        return (
            f"{self.dataset} [{self.variant}] from {self.source}: {names} "
            f"({self.rows:,} rows; sha256 {self.sha256[0][:12]}…)"
        )


def sha256sum(path: Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def dataset(key: str) -> Dataset:
    """The registered dataset ``key``, or a clear error listing the known ones."""
    try:
        return DATASETS[key]
    except KeyError:
        raise DataError(f"unknown dataset {key!r}; registered: {', '.join(DATASETS)}") from None


def locate(key: str, spec: FileSpec, cache: bool = True) -> tuple[Path, str] | None:
    """Path and origin (``"data dir"``/``"cache"``) of a file already on disk, else None
    (the cache is not looked at with ``cache=False``)."""
    for folder in config.data_dirs():
        for candidate in (folder / key / spec.name, folder / spec.name):
            if candidate.is_file():
                return candidate, "data dir"
            if candidate.is_dir():
                raise DataNotFoundError(
                    f"{candidate} is a folder, not the data file {spec.name} of dataset "
                    f"{key!r}; remove or rename the folder and put the file there."
                )
    cached = config.cache_dir() / key / spec.name
    return (cached, "cache") if cache and cached.is_file() else None


def verify(path: Path, spec: FileSpec) -> str:
    """Check a file against its registered sha256; returns the digest."""
    digest = sha256sum(path)
    if spec.sha256 is not None and digest != spec.sha256:
        raise ChecksumError(
            f"{path} has sha256 {digest}, but {spec.name} should have {spec.sha256}. "
            "The file is truncated, corrupted or a different version. It was left untouched: "
            "delete or replace it by hand (re-download it from "
            f"{spec.urls[0] if spec.urls else 'its source'})."
        )
    return digest


def _announce(url: str, spec: FileSpec, total: int | None) -> None:
    """Say what is downloaded, and how much, before the download starts."""
    size = (
        f"{total / 1e6:,.0f} MB"
        if total
        else f"about {spec.size_mb:,.0f} MB"
        if spec.size_mb
        else "size unknown"
    )
    part = f"the first {spec.rows:,} rows of {spec.head_of}" if spec.head_of else spec.name
    print(
        f"Downloading {part} ({size}) from {url} into the cache "
        f"({config.cache_dir().name}/); a progress bar follows.",
        flush=True,
    )


def _copy_head(response, out, spec: FileSpec, progress) -> None:
    """Write the first ``spec.rows`` lines of a gzipped text stream, gzipped, to ``out``;
    stop reading the stream once they have arrived."""

    lines = gzip.GzipFile(fileobj=response)
    written = 0
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as packed:
        for line in lines:
            packed.write(line)
            written += 1
            progress.update(1)
            if written == spec.rows:
                return
    raise DataSchemaError(
        f"{spec.head_of} at its URL has only {written:,} rows; {spec.name} needs {spec.rows:,}."
    )


STALL_SECONDS = 60
"""A download that receives nothing for this long is abandoned."""


def clean_leftovers(folder: Path, name: str) -> list[Path]:
    """Remove the partial downloads of ``name`` left by processes that no longer run
    (killed with SIGKILL, or a machine that went down); returns what was removed."""

    return clean(folder, name, suffix=".part")


class _TerminateOnSignal:
    """Turns SIGTERM into an exception while a download runs (main thread only), so the
    ``finally`` that removes the partial file runs for it as for Ctrl-C."""

    def __enter__(self):

        self.previous = None
        if threading.current_thread() is threading.main_thread():

            def stop(signum, frame):
                raise KeyboardInterrupt("SIGTERM during a download")

            self.previous = signal.signal(signal.SIGTERM, stop)
        return self

    def __exit__(self, *exc):

        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)
        return False


class DownloadDeadline(TimeoutError):
    """A download took longer than its total deadline (``QMLHEP_DOWNLOAD_DEADLINE_S``)."""


class _Deadline:
    """A response whose reads end with :class:`DownloadDeadline` once ``end`` (a
    ``time.monotonic()`` value) has passed: a server that trickles a byte every few seconds
    never trips the per-read timeout, but it cannot keep a download waiting forever."""

    def __init__(self, response, end: float, seconds: float, url: str):
        self.response, self.end, self.seconds, self.url = response, end, seconds, url

    def read(self, n: int = -1) -> bytes:
        chunks, want = [], n
        while want != 0:
            if time.monotonic() > self.end:
                raise DownloadDeadline(
                    f"{self.url}: not finished within the download deadline of "
                    f"{self.seconds:.0f} s (QMLHEP_DOWNLOAD_DEADLINE_S), abandoned"
                )
            read = getattr(self.response, "read1", self.response.read)  # one socket read
            block = read(65536 if want < 0 else min(want, 65536))
            if not block:
                break
            chunks.append(block)
            if want > 0:
                want -= len(block)
        return b"".join(chunks)


def _open(url: str, end: float, seconds: float):
    """``urlopen(url)``, abandoned with :class:`DownloadDeadline` at ``end``: a server that
    trickles its status line and headers a byte at a time never trips the per-read
    timeout either. The request runs in a daemon thread; one still waiting at the deadline
    is left to the server's close (or the interpreter's exit)."""
    box: dict = {}

    def request():
        try:
            box["response"] = urllib.request.urlopen(
                url, timeout=max(0.1, min(STALL_SECONDS, end - time.monotonic()))
            )
        except BaseException as err:  # re-raised in the caller's thread
            box["error"] = err

    worker = threading.Thread(target=request, daemon=True, name=f"open {url}")
    worker.start()
    worker.join(max(0.0, end - time.monotonic()))
    if worker.is_alive():
        raise DownloadDeadline(
            f"{url}: no response within the download deadline of {seconds:.0f} s "
            "(QMLHEP_DOWNLOAD_DEADLINE_S), abandoned"
        )
    if "error" in box:
        raise box["error"]
    return box["response"]


def _download(url: str, target: Path, spec: FileSpec, end: float | None = None) -> None:
    """Stream ``url`` to a temporary file next to ``target``, verify, then rename; give up
    at ``end`` (a ``time.monotonic()`` value; default: the deadline from now)."""

    seconds = config.download_deadline()
    end = time.monotonic() + seconds if end is None else end
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target.parent, spec.name)
    with _TerminateOnSignal():  # before the partial file exists: a SIGTERM right after
        fd, tmp_name = tempfile.mkstemp(  # its creation must still remove it
            prefix=f".{spec.name}.{os.getpid()}.", suffix=".part", dir=target.parent
        )
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out, _open(url, end, seconds) as raw:
                response = _Deadline(raw, end, seconds, url)
                total = int(raw.headers.get("Content-Length") or 0) or None
                _announce(url, spec, None if spec.head_of else total)
                if spec.head_of:
                    with bar(
                        total=spec.rows, unit=" rows", unit_scale=True, desc=spec.name
                    ) as progress:
                        _copy_head(response, out, spec, progress)
                else:
                    with bar(total=total, unit="B", unit_scale=True, desc=spec.name) as progress:
                        while block := response.read(1 << 20):
                            out.write(block)
                            progress.update(len(block))
            digest = sha256sum(tmp)
            if spec.sha256 is not None and digest != spec.sha256:
                raise ChecksumError(
                    f"the download of {spec.name} from {url} has sha256 {digest}, expected "
                    f"{spec.sha256}; it was discarded (nothing in the cache changed). Try again "
                    "later or fetch the file by hand."
                )
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)


def fetch(key: str, spec: FileSpec) -> tuple[Path, str, str]:
    """Path, origin and sha256 of a dataset file, downloading it into the cache if needed.

    The file is noted as used by the running chapter (:mod:`qmlhep.data.usage`).
    """
    path, origin, digest = _fetch(key, spec)

    usage.note(key, spec, path, origin)
    return path, origin, digest


def _fetch(key: str, spec: FileSpec) -> tuple[Path, str, str]:
    found = locate(key, spec)
    if found is not None:
        path, origin = found
        return path, origin, verify(path, spec)

    where = (
        f"QMLHEP_DATA_DIR ({os.pathsep.join(map(str, config.data_dirs())) or 'unset'}) "
        f"or the cache ({config.cache_dir() / key})"
    )
    how = (
        f"Put {spec.name} in a folder and point QMLHEP_DATA_DIR at it "
        f"(it may also sit in a sub-folder named {key!r})."
    )
    if not spec.urls:
        raise DataNotFoundError(
            f"{spec.name} of dataset {key!r} is not in {where} and has no public download "
            f"URL. {how}"
        )
    if config.offline():
        raise DataNotFoundError(
            f"{spec.name} of dataset {key!r} is not in {where}, and QMLHEP_OFFLINE forbids "
            f"downloading it from {spec.urls[0]}. {how}"
        )
    target = config.cache_dir() / key / spec.name
    errors = []
    end = time.monotonic() + config.download_deadline()  # one deadline for every address
    for url in spec.urls:
        try:
            _download(url, target, spec, end)
            return target, "download", verify(target, spec)
        except ChecksumError:
            raise
        except DownloadDeadline as exc:
            errors.append(str(exc))
            break  # the deadline holds for the whole file, not per address
        except TimeoutError:
            errors.append(f"{url}: stalled (nothing received for {STALL_SECONDS} s), abandoned")
        except OSError as exc:  # URLError, HTTPError, timeouts and disk errors
            errors.append(f"{url}: {exc}")
    raise DataNotFoundError(
        f"{spec.name} of dataset {key!r} is not in {where}, and downloading it failed "
        f"({'; '.join(errors)}). If this machine is offline, download it elsewhere from "
        f"{spec.urls[0]}. {how}"
    )


def choose_variant(key: str, variant: str | None = None, download: str | None = None) -> str:
    """The variant to load: ``variant`` if given, else the first one found on disk.

    The data folders come first, across variants: a file you placed there wins over any
    variant in the download cache (which may hold a different, or partial, download).
    Within each, variants are tried in registry order (official first). When none is on
    disk,
    ``download`` (a smaller part, when the caller needs no more) or else the official one
    is chosen, which then downloads.
    """
    ds = dataset(key)
    if variant is not None:
        if variant not in ds.variants:
            raise DataError(
                f"dataset {key!r} has no variant {variant!r}; "
                f"choose one of {', '.join(ds.variants)}"
            )
        return variant
    for cache in (False, True):
        for name, var in ds.variants.items():
            if locate(key, var.files[0], cache=cache) is not None:
                return name
    return download if download in ds.variants else ds.official
