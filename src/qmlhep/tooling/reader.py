"""A reader's run of one chapter: a fresh environment, today's releases, the notebook alone.

``python -m qmlhep.tooling.reader quantum/bsm_qae --python 3.12`` (``make reader``) does
what a Colab or laptop reader does, on this machine:

1. creates a fresh virtual environment with the named interpreter (``3.12`` is looked up
   as ``python3.12`` on ``PATH``, then in ``pyenv``; a path is used as given);
2. installs only the chapter's extra (its ``qmlhep:`` metadata) from the working tree, at
   the newest versions the extra's ranges allow, plus a Jupyter kernel;
3. executes the committed ``.ipynb`` alone, in the ``default`` profile, in an empty
   working folder with an empty build folder: no other chapter's results, no cache;
4. writes ``_build/reader/<chapter>-<python>.json``: success, wall time, peak memory
   (kernel and its workers), the budget verdict and every resolved version; the
   executed notebook goes beside it.

The exit status is 0 only when the chapter ran to the end within the reader's budget
(:data:`qmlhep.tooling.budget.BUDGETS`); 3 when the interpreter does not exist here
(a message says so, and the caller may skip).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from qmlhep.tooling import chapters
from qmlhep.tooling.budget import BUDGETS, over
from qmlhep.tooling.resources import PeakMemory

NO_INTERPRETER = 3
"""Exit status when the requested Python is not installed on this machine."""

KERNEL_PACKAGES = ("ipykernel",)
"""What the reader's environment gets besides the chapter's extra (the kernel only)."""

PASSED_ON = (
    "QMLHEP_DATA_DIR",
    "QMLHEP_OFFLINE",
    "QMLHEP_CACHE_DIR",
    "QISKIT_IBM_TOKEN",
    "HOME",
    "LANG",
    "TMPDIR",
)
"""Variables the chapter's kernel inherits; everything else of this shell is dropped."""


NOT_COPIED = (".git", ".venv", "_build", "build", "node_modules", "*.egg-info", "__pycache__")
"""What a clone of the repository lacks: left out of the tree the reader's pip installs."""


class ReaderError(RuntimeError):
    """The reader's run could not start (bad chapter, failed install); names the cause."""


def _works(python: Path) -> bool:
    """Whether ``python`` starts (a pyenv shim of a version not selected does not)."""
    try:
        return subprocess.run([str(python), "-c", ""], capture_output=True).returncode == 0
    except OSError:
        return False


def find_python(spec: str) -> Path | None:
    """The interpreter for ``spec`` (``3.12``, ``python3.13`` or a path), or None: found on
    ``PATH`` (as ``actions/setup-python`` provides it), else among ``pyenv``'s versions."""
    if os.sep in spec:
        return Path(spec) if Path(spec).is_file() and _works(Path(spec)) else None
    name = spec if spec.startswith("python") else f"python{spec}"
    candidates = [Path(found)] if (found := shutil.which(name)) else []
    root = os.environ.get("PYENV_ROOT") or (
        subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip()
        if shutil.which("pyenv")
        else ""
    )
    if root:
        version = name.removeprefix("python")
        candidates += sorted(Path(root, "versions").glob(f"{version}*/bin/{name}"), reverse=True)
    return next((c for c in candidates if _works(c)), None)


def short_version(python: Path) -> str:
    """``3.12`` for an interpreter."""
    out = subprocess.run(
        [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def _run(cmd: list[str], what: str, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if done.returncode:
        raise ReaderError(f"{what} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    return done


def create_environment(root: Path, python: Path, extra: str | None, venv: Path) -> dict:
    """A fresh venv at ``venv`` with ``qmlhep[extra]`` from ``root``; its versions."""
    shutil.rmtree(venv, ignore_errors=True)
    _run([str(python), "-m", "venv", str(venv)], f"creating a virtual environment with {python}")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    _run([*pip, "install", "--quiet", "--upgrade", "pip"], "upgrading pip")
    tree = venv.with_name(venv.name.replace("venv-", "tree-"))
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(root, tree, ignore=shutil.ignore_patterns(*NOT_COPIED))  # as a clone:
    target = f"{tree}[{extra}]" if extra else str(tree)  # nothing built in the checkout
    _run([*pip, "install", "--quiet", target, *KERNEL_PACKAGES], f"pip install {target}")
    listed = _run([*pip, "list", "--format=json"], "pip list").stdout
    return {p["name"].lower(): p["version"] for p in json.loads(listed)}


def kernel_spec(venv: Path, home: Path, env: dict[str, str]) -> str:
    """A kernelspec (in ``home``/kernels) that starts the venv's Python; its name."""
    spec = home / "kernels" / "reader"
    spec.mkdir(parents=True, exist_ok=True)
    argv = [str(venv / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "reader", "language": "python", "env": env})
    )
    return "reader"


def execute(notebook: Path, venv: Path, work: Path, timeout_s: int) -> dict:
    """Execute ``notebook`` in the venv's kernel, in ``work``; seconds, peak MB, error."""
    # imported here, not at the top: book-build tools, not a runtime dependency (nbformat, nbclient)
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    env = {k: os.environ[k] for k in PASSED_ON if k in os.environ}
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
        QMLHEP_PROFILE="default",
        QMLHEP_BUILD_DIR=str(work / "_build"),
        MPLBACKEND="module://matplotlib_inline.backend_inline",
        PYTHONNOUSERSITE="1",
    )
    jupyter_home = work / ".jupyter-reader"
    name = kernel_spec(venv, jupyter_home, env)
    os.environ["JUPYTER_PATH"] = str(jupyter_home)
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb, kernel_name=name, timeout=timeout_s, resources={"metadata": {"path": str(work)}}
    )
    memory = PeakMemory()
    memory.start("chapter")
    client.on_cell_executed = lambda **_: memory.sample()  # the kernel's peak before it ends
    start, error = time.perf_counter(), None
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as exc:
        error = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))[-3000:]  # without terminal colours
    finally:
        seconds = time.perf_counter() - start
        memory.stop()
        memory.close()
    nbformat.write(nb, work / notebook.name)
    return {
        "seconds": round(seconds, 1),
        "peak_mb": round(memory.peaks["chapter"] / 2**20),
        "error": error,
    }


def reader_run(
    root: Path, chapter: str, python_spec: str, out: Path, timeout_s: int, keep: bool = False
) -> dict:
    """Run ``chapter`` as a reader with ``python_spec``; the record written to ``out``.

    The run's virtual environment and copied tree (about 1.5 GB) are removed afterwards
    unless ``keep``: twenty chapters on two Pythons would otherwise fill 60 GB of disk.
    """

    python = find_python(python_spec)
    if python is None:
        raise FileNotFoundError(python_spec)
    notebook = root / "book" / f"{chapter}.ipynb"
    if not notebook.is_file():
        raise ReaderError(
            f"{notebook} does not exist: name a chapter as in _toc.yml "
            "(e.g. quantum/bsm_qae) and run `make notebooks`."
        )
    extra = chapters.metadata(root, f"book/{chapter}").extra
    py = short_version(python)
    stem = f"{chapter.replace('/', '-')}-{py}"
    work = out / stem
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    venv = out / f"venv-{stem}"
    t0 = time.perf_counter()
    try:
        versions = create_environment(root, python, extra, venv)
        install_s = time.perf_counter() - t0
        result = execute(notebook, venv, work, timeout_s)
    finally:
        if not keep:
            shutil.rmtree(venv, ignore_errors=True)
            shutil.rmtree(venv.with_name(venv.name.replace("venv-", "tree-")), ignore_errors=True)
    row = {
        "seconds": result["seconds"],
        "peak_mb": result["peak_mb"],
        "succeeded": result["error"] is None,
    }
    record = {
        "chapter": chapter,
        "python": py,
        "extra": extra,
        "profile": "default",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "install_seconds": round(install_s, 1),
        **row,
        "over_budget": over(row, "default"),
        "budget": {"seconds": BUDGETS["default"][0], "peak_mb": BUDGETS["default"][1]},
        "error": result["error"],
        "versions": versions,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.json").write_text(json.dumps(record, indent=1))
    return record


def collect(folder: Path, out: Path) -> dict:
    """Merge the records in ``folder`` (``<chapter>-<python>.json``) into ``out``, the
    table the introduction shows (``{chapter: {python: row}}``; a newer run of the same
    chapter and Python replaces the older)."""
    table = json.loads(out.read_text()) if out.is_file() else {}
    for path in sorted(folder.glob("*.json")):
        rec = json.loads(path.read_text())
        if not {"chapter", "python", "seconds"} <= set(rec):
            continue
        table.setdefault(rec["chapter"], {})[rec["python"]] = {
            "seconds": rec["seconds"],
            "peak_mb": rec["peak_mb"],
            "succeeded": rec["succeeded"],
            "over_budget": rec["over_budget"],
            "date": rec["date"],
            "jax": rec["versions"].get("jax"),
        }
    out.write_text(json.dumps(dict(sorted(table.items())), indent=1, sort_keys=True) + "\n")
    return table


def all_chapters(root: Path) -> list[str]:
    """Every executed chapter of the book, as ``make reader`` names them."""
    # imported here, not at the top: it needs jupytext (an extra), this module does not
    from qmlhep.tooling import notebooks

    return [
        src.relative_to(root / "book").with_suffix("").as_posix()
        for src in notebooks.chapter_sources(root)
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "chapters", nargs="*", help="as in _toc.yml without book/ (quantum/bsm_qae), or all"
    )
    parser.add_argument("--python", default="3.12", help="3.12, python3.13 or a path")
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--out", type=Path, default=Path("_build/reader"))
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    parser.add_argument(
        "--keep-environment",
        action="store_true",
        help="keep each run's virtual environment (about 1.5 GB) to inspect it",
    )
    parser.add_argument(
        "--collect",
        type=Path,
        metavar="TABLE",
        help="afterwards merge every record of --out into TABLE (the introduction's "
        "src/qmlhep/published_results/reader.json)",
    )
    args = parser.parse_args(argv)
    names = [
        c.removeprefix("book/").removesuffix(".ipynb").removesuffix(".md") for c in args.chapters
    ]
    if names == ["all"]:
        names = all_chapters(args.root)
    failed = []
    for chapter in names:
        try:
            record = reader_run(
                args.root,
                chapter,
                args.python,
                args.out.resolve(),
                args.timeout,
                keep=args.keep_environment,
            )
        except FileNotFoundError:
            print(f"no Python {args.python} on this machine (PATH or pyenv): reader's run skipped")
            sys.exit(NO_INTERPRETER)
        except ReaderError as exc:
            print(f"{chapter} on Python {args.python}: {exc}")
            failed.append(chapter)
            continue
        verdict = "FAILED" if record["error"] else "OVER BUDGET" if record["over_budget"] else "ok"
        v = record["versions"]
        print(
            f"{chapter} on Python {record['python']}: {verdict} · {record['seconds']:.0f} s, "
            f"{record['peak_mb'] / 1024:.2f} GB (install {record['install_seconds']:.0f} s) · "
            f"jax {v.get('jax', '–')}, pennylane {v.get('pennylane', '–')}, keras "
            f"{v.get('keras', '–')}",
            flush=True,
        )
        if record["error"]:
            print(record["error"])
        if record["error"] or record["over_budget"]:
            failed.append(chapter)
    if args.collect:
        collect(args.out, args.collect)
    if failed:
        sys.exit(
            f"reader's runs failed or over budget on Python {args.python}: " + ", ".join(failed)
        )


if __name__ == "__main__":
    main()
