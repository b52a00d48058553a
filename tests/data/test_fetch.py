"""The fetch path: lookup order, checksums, clear offline errors, atomic downloads."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import threading
from pathlib import Path

import h5py
import numpy as np
import pytest

import qmlhep.data.files as fetch_mod
from qmlhep.data import load_cms_qg, load_qg_jets, load_susy
from qmlhep.data.files import ChecksumError, DataNotFoundError, DataSchemaError, fetch, locate
from qmlhep.data.registry import DATASETS, FileSpec


def test_offline_error_names_dataset_url_and_setting(isolated):
    with pytest.raises(DataNotFoundError) as err:
        load_susy()
    msg = str(err.value)
    assert "'susy'" in msg and "SUSY.csv.gz" in msg and "QMLHEP_DATA_DIR" in msg
    assert "archive.ics.uci.edu" in msg and "QMLHEP_OFFLINE" in msg


def test_data_dir_found_before_cache_flat_or_in_subfolder(isolated):
    spec = FileSpec("thing.bin", None)
    (isolated.cache / "ds").mkdir()
    (isolated.cache / "ds" / "thing.bin").write_bytes(b"cache")
    assert locate("ds", spec)[1] == "cache"
    (isolated.data / "thing.bin").write_bytes(b"flat")
    assert locate("ds", spec) == (isolated.data / "thing.bin", "data dir")
    (isolated.data / "ds").mkdir()
    (isolated.data / "ds" / "thing.bin").write_bytes(b"sub")
    assert locate("ds", spec) == (isolated.data / "ds" / "thing.bin", "data dir")


def test_checksum_mismatch_is_clear_and_leaves_file(isolated):
    sample = DATASETS["qg_jets"].variants["sample-top10-10k"].files[0]
    bad = isolated.data / sample.name
    bad.write_bytes(b"not the real file")
    with pytest.raises(ChecksumError, match="truncated, corrupted") as err:
        load_qg_jets()
    assert sample.sha256 in str(err.value)
    assert bad.read_bytes() == b"not the real file"  # nothing overwritten or deleted


def test_truncated_gzip_is_a_schema_error(isolated, tmp_path):
    rows = "\n".join(",".join(["1"] + ["0.5"] * 18) for _ in range(2000)).encode()
    blob = gzip.compress(rows)
    (isolated.data / "SUSY.csv.gz").write_bytes(blob[: len(blob) // 2])  # no checksum published
    with pytest.raises(DataSchemaError, match="truncated or corrupted"):
        load_susy()


def test_wrong_number_of_columns_and_nan(isolated):
    path = isolated.data / "SUSY.csv.gz"
    path.write_bytes(gzip.compress(b"1,0.5,0.5\n0,0.1,0.2\n"))
    with pytest.raises(DataSchemaError, match="3 columns"):
        load_susy()
    path.write_bytes(gzip.compress((",".join(["1"] + ["nan"] * 18) + "\n").encode()))
    with pytest.raises(DataSchemaError, match="NaN"):
        load_susy()


def _write_cms(path: Path, with_y: bool = True) -> np.ndarray:
    rng = np.random.default_rng(0)
    X = rng.random((6, 125, 125, 3)).astype(np.float32)
    with h5py.File(path, "w") as f:
        f["X_jets"] = X
        if with_y:
            f["y"] = np.array([0, 1, 0, 1, 1, 0], dtype=np.float32)
    return X


@pytest.fixture
def cms_of_six_rows(monkeypatch):
    """The registry's CMS file, as if it held the 6 rows of the tiny test file."""
    from dataclasses import replace

    from qmlhep.data.registry import DATASETS

    ds = DATASETS["cms_qg"]
    var = ds.variants["ml4sci"]
    small = replace(var, files=(replace(var.files[0], rows=6),))
    monkeypatch.setitem(DATASETS, "cms_qg", replace(ds, variants={"ml4sci": small}))


def test_cms_file_without_checksum_is_checked_against_the_registry(isolated):
    _write_cms(isolated.data / "quark-gluon_data-set_n139306.hdf5")  # 6 rows, not 139,306
    with pytest.raises(DataSchemaError, match="registered file has 139,306"):
        load_cms_qg()


def test_cms_hdf5_layout_and_missing_key(isolated, cms_of_six_rows):
    X = _write_cms(isolated.data / "quark-gluon_data-set_n139306.hdf5")
    cms = load_cms_qg(n_jets=4)
    assert cms.X.shape == (4, 125, 125, 3)
    np.testing.assert_array_equal(cms.X, X[:4])
    np.testing.assert_array_equal(cms.y, [1, 0, 1, 0])  # stored 0 = quark -> quark = 1
    small = load_cms_qg(preprocess_size=12)
    assert small.X.shape == (6, 12, 12, 3)
    np.testing.assert_allclose(small.X.max(axis=(1, 2)), 1.0)  # each channel max-normalised
    _write_cms(isolated.data / "quark-gluon_data-set_n139306.hdf5", with_y=False)
    with pytest.raises(DataSchemaError, match=r"lacks the HDF5 key\(s\) \['y'\]"):
        load_cms_qg()


class _Handler(http.server.BaseHTTPRequestHandler):
    payload = b""
    cut_after: int | None = None

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.payload)))
        self.end_headers()
        body = self.payload if self.cut_after is None else self.payload[: self.cut_after]
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, f"http://127.0.0.1:{httpd.server_port}/file.bin"
    httpd.shutdown()


def test_download_verifies_then_renames(isolated, server, monkeypatch):
    httpd, url = server
    monkeypatch.setenv("QMLHEP_OFFLINE", "0")
    _Handler.payload, _Handler.cut_after = b"x" * 5000, None
    spec = FileSpec("file.bin", hashlib.sha256(b"x" * 5000).hexdigest(), (url,))
    path, origin, digest = fetch("toy", spec)
    assert origin == "download" and path.read_bytes() == b"x" * 5000
    assert sorted(p.name for p in path.parent.iterdir()) == ["file.bin"]  # no temp left
    assert fetch("toy", spec)[1] == "cache"  # second call reads the cache


def test_bad_download_leaves_nothing_behind(isolated, server, monkeypatch):
    httpd, url = server
    monkeypatch.setenv("QMLHEP_OFFLINE", "0")
    _Handler.payload, _Handler.cut_after = b"y" * 5000, None
    spec = FileSpec("file.bin", "0" * 64, (url,))
    with pytest.raises(ChecksumError, match="discarded"):
        fetch("toy", spec)
    assert not (isolated.cache / "toy").exists() or not any((isolated.cache / "toy").iterdir())


def test_interrupted_download_leaves_nothing_behind(isolated, monkeypatch):
    monkeypatch.setenv("QMLHEP_OFFLINE", "0")

    class Dying:
        headers = {"Content-Length": "100"}

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, n):
            raise KeyboardInterrupt  # the reader pressed Ctrl-C mid-download

    monkeypatch.setattr(fetch_mod.urllib.request, "urlopen", lambda url, timeout: Dying())
    spec = FileSpec("file.bin", "0" * 64, ("http://127.0.0.1:9/file.bin",))
    with pytest.raises(KeyboardInterrupt):
        fetch("toy", spec)
    assert list((isolated.cache / "toy").iterdir()) == []


def test_unreachable_url_gives_clear_error(isolated, monkeypatch):
    monkeypatch.setenv("QMLHEP_OFFLINE", "0")
    spec = FileSpec("file.bin", "0" * 64, ("http://127.0.0.1:9/file.bin",))  # closed port
    with pytest.raises(DataNotFoundError, match="downloading it failed"):
        fetch("toy", spec)


def test_head_of_a_large_file_downloads_only_that_part(isolated, server, monkeypatch, capsys):
    import gzip

    httpd, url = server
    monkeypatch.setenv("QMLHEP_OFFLINE", "0")
    rows = [f"{i % 2},{i}.5,{-i}.25\n".encode() for i in range(200_000)]
    _Handler.payload, _Handler.cut_after = gzip.compress(b"".join(rows)), None
    spec = FileSpec("head.csv.gz", None, (url,), rows=1_000, size_mb=3, head_of="big.csv.gz")
    path, origin, _ = fetch("toy", spec)
    assert origin == "download"
    assert gzip.decompress(path.read_bytes()).splitlines(keepends=True) == rows[:1_000]
    said = capsys.readouterr().out
    assert "the first 1,000 rows of big.csv.gz" in said and "about 3 MB" in said
    assert sorted(p.name for p in path.parent.iterdir()) == ["head.csv.gz"]

    short = FileSpec("short.csv.gz", None, (url,), rows=300_000, head_of="big.csv.gz")
    with pytest.raises(DataSchemaError, match="only 200,000 rows"):
        fetch("toy", short)
    assert sorted(p.name for p in path.parent.iterdir()) == ["head.csv.gz"]


def test_susy_asks_only_for_the_head_when_few_events_are_needed(isolated):
    from qmlhep.data.files import choose_variant

    assert choose_variant("susy") == "full"  # nothing on disk: the official file
    assert choose_variant("susy", download="head-500k") == "head-500k"


def test_data_folder_wins_over_the_cache_across_variants(isolated):
    from qmlhep.data.files import choose_variant

    (isolated.cache / "susy").mkdir(parents=True)
    (isolated.cache / "susy" / "SUSY.csv.gz").write_bytes(b"partial official download")
    (isolated.data / "SUSY_sample_10k.csv.gz").write_bytes(b"placed by hand")
    assert choose_variant("susy") == "sample-10k"
    (isolated.data / "SUSY_sample_10k.csv.gz").unlink()
    assert choose_variant("susy") == "full"  # only the cache holds one now


SLOW_DOWNLOAD = """
import sys, http.server, threading, time
from qmlhep.data.files import fetch
from qmlhep.data.registry import FileSpec

class Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(10**8))
        self.end_headers()
        while True:
            self.wfile.write(b"x" * 1000)
            time.sleep(0.01)
    def log_message(self, *a):
        pass

httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
threading.Thread(target=httpd.serve_forever, daemon=True).start()
spec = FileSpec("big.bin", "0" * 64, (f"http://127.0.0.1:{httpd.server_port}/big.bin",))
print("started", flush=True)
fetch("toy", spec)
"""


def test_sigterm_during_a_download_leaves_nothing_behind(isolated, tmp_path, monkeypatch):
    import os
    import signal
    import subprocess
    import sys
    import time

    monkeypatch.setenv("QMLHEP_OFFLINE", "0")
    script = tmp_path / "slow.py"
    script.write_text(SLOW_DOWNLOAD)
    proc = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, TQDM_DISABLE="1"),
    )
    assert proc.stdout.readline().strip() == "started"
    folder = isolated.cache / "toy"
    for _ in range(200):  # until the partial file exists
        if folder.is_dir() and any(folder.iterdir()):
            break
        time.sleep(0.05)
    assert any(p.name.endswith(".part") for p in folder.iterdir())
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    assert proc.returncode != 0
    assert list(folder.iterdir()) == []


def test_leftovers_of_killed_processes_are_cleaned_on_the_next_start(isolated):
    from qmlhep.data.files import clean_leftovers

    folder = isolated.cache / "toy"
    folder.mkdir()
    dead = folder / ".big.bin.999999999.abc.part"  # no such process
    mine = folder / f".big.bin.{__import__('os').getpid()}.def.part"  # a running download
    for p in (dead, mine):
        p.write_bytes(b"partial")
    assert clean_leftovers(folder, "big.bin") == [dead]
    assert sorted(folder.iterdir()) == [mine]


def _serve(handler) -> tuple[http.server.ThreadingHTTPServer, str]:
    """A loopback server of ``handler`` in a daemon thread, and the URL of slow.bin on it."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_port}/slow.bin"


class _Trickle(http.server.BaseHTTPRequestHandler):
    """Announces 1,000 bytes and sends one every 0.2 s: never silent for the stall timeout."""

    def do_GET(self):
        import time

        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        try:
            for _ in range(1000):
                self.wfile.write(b"z")
                self.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


def test_a_trickling_download_stops_at_its_total_deadline(isolated, monkeypatch):
    import time

    httpd, url = _serve(_Trickle)
    monkeypatch.setenv("QMLHEP_OFFLINE", "0")
    monkeypatch.setenv("QMLHEP_DOWNLOAD_DEADLINE_S", "1.5")
    spec = FileSpec("slow.bin", "0" * 64, (url, url))
    start = time.monotonic()
    try:
        with pytest.raises(DataNotFoundError, match=r"deadline of 2 s \(QMLHEP_DOWNLOAD_DEADLINE"):
            fetch("toy", spec)
    finally:
        httpd.shutdown()
    assert time.monotonic() - start < 8  # one deadline for both addresses
    assert not any((isolated.cache / "toy").glob("*.part"))


def test_a_deadline_that_is_not_a_positive_number_is_refused(monkeypatch):
    from qmlhep import config

    for bad in ("0", "-3", "soon"):
        monkeypatch.setenv("QMLHEP_DOWNLOAD_DEADLINE_S", bad)
        with pytest.raises(config.ConfigError, match="QMLHEP_DOWNLOAD_DEADLINE_S"):
            config.download_deadline()


def test_cms_counts_are_checked_before_any_read(isolated, cms_of_six_rows):
    _write_cms(isolated.data / "quark-gluon_data-set_n139306.hdf5")
    for bad in (0, -5, 2.5, True):
        with pytest.raises(ValueError, match="n_jets="):
            load_cms_qg(n_jets=bad)
    with pytest.raises(ValueError, match="more than .* holds"):
        load_cms_qg(n_jets=7)


def test_negative_cms_deposits_are_a_damaged_file(isolated, cms_of_six_rows):
    path = isolated.data / "quark-gluon_data-set_n139306.hdf5"
    _write_cms(path)
    with h5py.File(path, "r+") as f:
        f["X_jets"][0, 0, 0, 0] = -1.0
    with pytest.raises(DataSchemaError, match="negative deposits"):
        load_cms_qg()


class _TrickleHeaders(http.server.BaseHTTPRequestHandler):
    """Sends its status line and headers one byte every 0.2 s: urlopen itself never ends."""

    def do_GET(self):
        import time

        head = b"HTTP/1.0 200 OK\r\nContent-Length: 10\r\n" + b"X-Pad: " + b"p" * 500 + b"\r\n\r\n"
        try:
            for byte in head:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


def test_a_server_trickling_its_headers_stops_at_the_deadline(isolated, monkeypatch):
    import time

    httpd, url = _serve(_TrickleHeaders)
    monkeypatch.setenv("QMLHEP_OFFLINE", "0")
    monkeypatch.setenv("QMLHEP_DOWNLOAD_DEADLINE_S", "1.5")
    spec = FileSpec("slow.bin", "0" * 64, (url,))
    start = time.monotonic()
    try:
        with pytest.raises(DataNotFoundError, match=r"no response within the download deadline"):
            fetch("toy", spec)
    finally:
        httpd.shutdown()
    assert time.monotonic() - start < 6
