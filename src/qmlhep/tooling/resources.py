"""Peak memory of the processes a chapter runs in (its kernel and the kernel's workers).

A :class:`PeakMemory` samples, in a background thread every ``interval`` seconds, the
summed resident memory (RSS) of every descendant of this process, and keeps the largest
sum per label (the chapter being executed). The kernel's own peak (``VmHWM``, exact) is
taken too, so a spike between two samples is not missed for the kernel itself.
"""

from __future__ import annotations

import threading

import psutil


def _peak_rss(proc: psutil.Process) -> int:
    """A process's peak resident set in bytes (Linux ``VmHWM``), else its current RSS."""
    try:
        with open(f"/proc/{proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return proc.memory_info().rss


class PeakMemory:
    """Largest memory (bytes) used by this process's children while each label was active."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.peaks: dict[str, int] = {}
        self._label: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="peak-memory")
        self._thread.start()

    def start(self, label: str) -> None:
        with self._lock:
            self._label = label
            self.peaks[label] = 0

    def stop(self) -> None:
        self._sample()
        with self._lock:
            self._label = None

    def sample(self) -> None:
        """Take a sample now (e.g. after each cell, so a short spike is not missed)."""
        self._sample()

    def close(self) -> None:
        self._stop.set()

    def _sample(self) -> None:
        with self._lock:
            label = self._label
        if label is None:
            return
        total, single = 0, 0
        for child in psutil.Process().children(recursive=True):
            try:
                total += child.memory_info().rss
                single = max(single, _peak_rss(child))
            except psutil.Error:  # ended between listing and reading
                continue
        with self._lock:
            if self._label == label:
                self.peaks[label] = max(self.peaks[label], total, single)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()
