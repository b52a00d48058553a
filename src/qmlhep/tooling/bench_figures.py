"""The peer benchmarks of this build (``{c}.vs_best_peer`` in ``bench.json``) as tables and
figures for the chapter on fast simulation."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from qmlhep.tooling import bench

ENGINE = "the book's engine"
CIRCUITS = {"sqae": "SQAE", "hae": "hybrid layer", "qcl": "QCL (7 qubits)", "vqc": "VQC"}


def peer_frame(names: list[str]) -> pd.DataFrame:
    """One row per benchmark and simulator: ``per_sample_s`` (NaN: did not compile within
    the cap), ``batch``, ``compile_s`` and its cap ``compile_cap_s`` (jitted programs), and
    whether it is the engine, a peer or the fastest peer."""
    rows = []
    for name, e in bench.entries(names).items():
        engine = e["engine"]
        rows.append(
            {
                "benchmark": name,
                "simulator": ENGINE,
                "per_sample_s": engine["per_sample_s"],
                "batch": engine["batch"],
                "compile_s": engine.get("compile_s"),
                "role": "engine",
            }
        )
        for peer, p in e["peers"].items():
            rows.append(
                {
                    "benchmark": name,
                    "simulator": peer,
                    "per_sample_s": p["per_sample_s"],
                    "batch": p["batch"],
                    "compile_s": p.get("compile_s"),
                    "compile_cap_s": p.get("compile_cap_s"),
                    "role": "fastest peer" if peer == e["peer"] else "peer",
                }
            )
    frame = pd.DataFrame(rows)
    frame["per_sample_s"] = frame["per_sample_s"].astype(float)
    return frame


def scaling_names() -> list[str]:
    """The QCL scaling entries ``qcl.vs_best_peer.{n}q`` of this build, by qubit count
    (a ``KeyError`` naming those missing)."""
    found = bench.names(r"qcl\.vs_best_peer\.\d+q")
    if not found:
        bench.entries(["qcl.vs_best_peer.<n>q"])  # raises the explanatory KeyError
    return sorted(found, key=lambda n: int(n.split(".")[-1][:-1]))


def summary(names: list[str]) -> pd.DataFrame:
    """Per benchmark: the engine's time per sample, the fastest peer, its time, the ratio."""
    out = []
    for name, e in bench.entries(names).items():
        out.append(
            {
                "benchmark": name,
                "engine (ms/sample)": 1e3 * e["fast_s"],
                "fastest peer": e["peer"],
                "peer (ms/sample)": 1e3 * e["baseline_s"],
                "engine ahead by": e["ratio"],
            }
        )
    return pd.DataFrame(out).set_index("benchmark")


def plot_peers(frame: pd.DataFrame):
    """Bars of time per sample (log scale), one panel per benchmark; a peer that did not
    compile within the cap is marked, not drawn."""

    names = list(dict.fromkeys(frame["benchmark"]))
    fig, axes = plt.subplots(1, len(names), figsize=(3.4 * len(names), 3.6), sharey=False)
    for ax, name in zip(np.atleast_1d(axes), names, strict=True):
        sub = frame[frame["benchmark"] == name].reset_index(drop=True)
        colours = ["tab:red" if r == "engine" else "tab:blue" for r in sub["role"]]
        ax.barh(sub.index, 1e3 * sub["per_sample_s"].fillna(0), color=colours)
        ax.set_yticks(sub.index, [s.split(" (")[0] for s in sub["simulator"]], fontsize=8)
        ax.set_xscale("log")
        ax.invert_yaxis()
        marks = zip(sub["per_sample_s"], sub["compile_cap_s"], strict=True)
        for i, (value, cap) in enumerate(marks):
            if np.isnan(value):
                text = f"not compiled in {cap:.0f} s"
                ax.text(0.02, i, text, transform=ax.get_yaxis_transform(), va="center", fontsize=8)
        prefix = name.split(".")[0]
        ax.set_title(CIRCUITS.get(prefix, prefix), fontsize=10)
        ax.set_xlabel("ms per sample")
    fig.tight_layout()
    return fig


def plot_batch_scaling(name: str = "sqae.batch_scaling"):
    """The engine's time per sample against the batch size (its XLA temporary memory on a
    second axis), with the image-by-image peers at the batches they were timed."""

    e = bench.entries([name])[name]
    batches = sorted(int(b) for b in e["engine"])  # JSON keys are strings, stored sorted
    fig, ax = plt.subplots(figsize=(6, 3.6))
    per_sample = [1e3 * e["engine"][str(b)]["per_sample_s"] for b in batches]
    ax.plot(batches, per_sample, "o-", color="tab:red", lw=2.5, label=ENGINE)
    for peer, times in e["peers"].items():
        xs = sorted(int(b) for b in times)
        ax.plot(xs, [1e3 * times[str(b)] for b in xs], "s--", label=peer)
    ax.set(xscale="log", yscale="log", xlabel="batch (samples per call)", ylabel="ms per sample")
    memory = ax.twinx()
    temp = [e["engine"][str(b)]["temp_bytes"] / 1e6 for b in batches]
    memory.plot(batches, temp, ":", color="grey")
    memory.set(yscale="log", ylabel="engine's XLA temporaries (MB, dotted)")
    ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.02), ncol=3, frameon=False)
    fig.tight_layout()
    return fig
