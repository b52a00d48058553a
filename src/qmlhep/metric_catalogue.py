"""Every headline number the book records, with its published value where there is one.

The keys are the ones the book's issues name; a chapter can record only keys listed here
(a typo fails loudly), and the summary chapter shows every key, recorded or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qmlhep.data.susy import PAPER_SELECTIONS

SIZES_SUSY = (100, 500, 1000, 5000)
SIZES_VQC = (40, 70, 100, 200, 500, 1000)
TERASHI_BAND = (0.80, 0.85)
"""The range of test AUCs Terashi et al. report for their models at ≤ 10k events."""
TERASHI_RANGE = f"{TERASHI_BAND[0]:.2f}–{TERASHI_BAND[1]:.2f}"
COMAJOAN_AUC = {"quantum ViT": 0.776, "classical ViT": 0.794}
"""The test AUCs Comajoan Cara et al. (2024) report on CMS quark/gluon jets (their data,
not this book's): published values, quoted on the verdict page."""


@dataclass(frozen=True)
class MetricSpec:
    """What a metric means: its chapter, published value (None if none), unit, description."""

    chapter: str
    paper: Any
    unit: str
    what: str


def _family() -> dict[str, MetricSpec]:
    m: dict[str, MetricSpec] = {}

    def add(key, chapter, paper, unit, what):
        m[key] = MetricSpec(chapter, paper, unit, what)

    add("data.qg.n_jets", "Jet images", None, "jets", "quark/gluon jets loaded")
    for cls in ("quark", "gluon"):
        add(
            f"data.qg.img12.active_pixels.{cls}",
            "Jet images",
            None,
            "fraction of 144",
            f"mean fraction of non-zero pixels, 12x12 {cls} images",
        )
    for cls in ("quark", "gluon"):
        add(
            f"data.qg.mean_multiplicity.{cls}",
            "Jet images",
            None,
            "particles",
            f"mean number of particles per {cls} jet in the sample used",
        )
    add("data.susy.n_events", "SUSY dataset", None, "events", "SUSY events loaded")
    for n, names in PAPER_SELECTIONS.items():
        add(
            f"susy.selection.nvar{n}",
            "SUSY dataset",
            list(names),
            "features",
            f"greedy DNN-AUC selection of {n} variables",
        )

    ch = "Convolutional autoencoders"
    add("cae40.n_params", ch, "~900k", "parameters", "40x40 autoencoder size")
    add("cae40.auc.q_vs_g", ch, 0.71, "AUC", "40x40, trained on quarks, gluons anomalous")
    add("cae40.auc.g_vs_q", ch, 0.29, "AUC", "40x40, trained on gluons, quarks anomalous")
    add("cae12.n_params", ch, "~3000", "parameters", "12x12 autoencoder size")
    add("cae12.auc.q_vs_g", ch, 0.60, "AUC", "12x12, reconstruction-loss score")
    add("cae12.auc_emd.q_vs_g", ch, None, "AUC", "12x12, EMD score")
    add("cae12.auc.sinkhorn_loss.q_vs_g", ch, None, "AUC", "12x12 trained with a Sinkhorn loss")
    for size in (40, 12):
        add(
            f"cae{size}.recon_vs_mean",
            ch,
            None,
            "relative L2",
            f"{size}x{size}: median ‖x̂(x) − x̂(mean jet)‖/‖x‖ over test jets (< 1e-3: collapsed)",
        )

    ch = "BDT and DNN on SUSY"
    for model in ("bdt", "dnn", "dnn_small"):
        for nvar in (3, 5, 7):
            for n in SIZES_SUSY:
                add(
                    f"susy.{model}.auc.nvar{nvar}.n{n}",
                    ch,
                    None,
                    "AUC",
                    f"{model.upper()} test AUC, {nvar} variables, {n} training events",
                )
    for nvar, npar in ((3, 26), (5, 43), (7, 64)):
        add(
            f"susy.dnn_small.n_params.nvar{nvar}",
            ch,
            npar,
            "parameters",
            "parameter-matched DNN (one hidden layer)",
        )

    ch = "Swap-test quantum autoencoder"
    add("sqae.n_params", ch, 1440, "parameters", "SQAE with L = 5 re-uploads")
    add("sqae.auc.q_vs_g", ch, 0.565, "AUC", "SQAE, 1 - fidelity as anomaly score")
    add(
        "sqae.auc.best_epoch_by_rule",
        ch,
        None,
        "AUC",
        "test AUC at the epoch the quark-only stopping rule chose (mean over seeds)",
    )
    add("sqae.best_latent", ch, None, "qubits", "latent size with the best AUC")
    add("sqae.auc.best_latent", ch, None, "AUC", "AUC at the best latent size")
    add("sqae.train_s_per_epoch", ch, None, "s", "training wall time per epoch")
    add("sqae.auc.intensity", ch, None, "AUC", "total image intensity alone (trivial reference)")
    add("sqae.auc.product", ch, None, "AUC", "the same SQAE without entanglers (product twin)")
    add("sqae.auc.twin", ch, None, "AUC", "tied linear AE, same parameters (classical twin)")

    ch = "Hybrid autoencoder"
    add("hae.n_params", ch, 3423, "parameters", "hybrid classical-quantum autoencoder")
    add(
        "hae.auc.q_vs_g",
        ch,
        0.57,
        "AUC",
        "hybrid autoencoder (published: the seed study's unconverged run)",
    )
    add("hae.auc.twin", ch, None, "AUC", "classical twin: the quantum layer replaced by Dense")
    add("hae.auc.intensity", ch, None, "AUC", "empty reconstruction: total intensity alone")
    add("hae.auc.product", ch, None, "AUC", "quantum layer without entanglers (product twin)")
    add("hae.epochs", ch, None, "epochs", "best epoch, the weights kept (mean over seeds)")
    add("hae.train_s_per_epoch", ch, None, "s", "training wall time per epoch")
    add("hae.epochs_run", ch, None, "epochs", "epochs the hybrid ran (mean over seeds)")
    add("hae.stopped_early", ch, None, "0/1", "1 if every seed of the hybrid stopped early")
    add(
        "hae.recon_vs_mean",
        ch,
        None,
        "relative L2",
        "hybrid: median ‖x̂(x) − x̂(mean jet)‖/‖x‖ over test jets, seed mean (< 1e-3: collapsed)",
    )

    ch = "Quantum circuit learning"
    for nvar, npar in ((3, 27), (5, 45), (7, 63)):
        add(f"qcl.n_params.nvar{nvar}", ch, npar, "parameters", f"QCL, {nvar} qubits, depth 3")
        for n in SIZES_SUSY:
            add(
                f"qcl.auc.nvar{nvar}.n{n}",
                ch,
                TERASHI_RANGE,
                "AUC",
                f"QCL test AUC, {nvar} variables, {n} training events",
            )
    for depth in (1, 3, 5, 7):
        add(f"qcl.auc.depth{depth}.nvar3.n1000", ch, None, "AUC", f"QCL depth {depth}")
    add("qcl.auc.product", ch, None, "AUC", "QCL without Ising couplings, 3 variables, 1000 events")
    add("qcl.auc.twin", ch, None, "AUC", "parameter-matched DNN, 3 variables, 1000 events")
    add("qcl.auc.linear", ch, None, "AUC", "logistic regression, 3 variables, 1000 events")

    ch = "Variational quantum classifier"
    for nvar, npar in ((3, 12), (5, 20), (7, 28)):
        add(f"vqc.n_params.nvar{nvar}", ch, npar, "parameters", f"VQC, {nvar} qubits")
    for n in SIZES_VQC:
        add(f"vqc.auc.test.sim.foe.n{n}", ch, None, "AUC", f"VQC (FOE) test AUC, {n} events")
    add("vqc.auc.train.sim.foe.n40", ch, None, "AUC", "VQC (FOE) training AUC, 40 events")
    add("vqc.auc.test.sim.soe.n40", ch, None, "AUC", "VQC (SOE) test AUC, 40 events")
    for dev in ("johannesburg", "boeblingen"):
        for fm in ("foe", "soe"):
            add(
                f"vqc.auc.test.{dev}.{fm}.n40",
                ch,
                None,
                "AUC",
                f"VQC ({fm.upper()}) on the {dev.title()} noise model",
            )
    add(
        "vqc.auc.test.johannesburg.foe.n40.mitigated",
        ch,
        None,
        "AUC",
        "Johannesburg noise model with measurement-error mitigation",
    )
    add("vqc.auc.product", ch, None, "AUC", "VQC (FOE) without CZ gates, 40 + 40 events")
    add("vqc.auc.twin", ch, None, "AUC", "parameter-matched DNN, 40 + 40 events")
    add("vqc.auc.linear", ch, None, "AUC", "logistic regression, 40 + 40 events")

    ch = "Data re-uploading on SUSY events"
    what = "re-uploading classifier, 7 variables, 5,000 training events (ci: fewer)"
    add("reupload_susy.auc", ch, 0.849, "AUC", f"{what}; Muten et al. 2021")
    add("reupload_susy.auc.product", ch, None, "AUC", "the same circuit without entanglers")
    add("reupload_susy.auc.twin", ch, None, "AUC", "parameter-matched DNN (classical twin)")
    add("reupload_susy.auc.linear", ch, None, "AUC", "logistic regression (trivial reference)")
    add("reupload_susy.n_params", ch, None, "parameters", "re-uploading classifier size")

    ch = "A quantum autoencoder for new physics"
    claim = "QAE above classical AEs, same inputs; numbers not quoted here"
    add("bsm.qae.auc", ch, claim, "AUC", "event quantum autoencoder, 2.5 TeV resonance")
    add("bsm.qae.auc.product", ch, None, "AUC", "the same circuit without CNOTs")
    add("bsm.qae.auc.twin", ch, None, "AUC", "tied linear autoencoder, same parameters")
    add("bsm.cae.auc", ch, None, "AUC", "larger dense classical autoencoder")
    add("bsm.qae.n_params", ch, None, "parameters", "quantum autoencoder size")
    add("bsm.auc.sum_pt", ch, None, "AUC", "scalar sum of the input pT (trivial reference)")

    ch = "Quantum vision transformer"
    add("vit.n_params", ch, None, "parameters", "classical vision transformer")
    add("vit.auc", ch, None, "AUC", "classical ViT, quark/gluon classification")
    add("qvit.n_params", ch, None, "parameters", "quantum vision transformer")
    add("qvit.auc", ch, None, "AUC", "quantum ViT, quark/gluon classification")
    add("qvit.auc.twin", ch, None, "AUC", "the classical ViT of the same size (classical twin)")
    add("qvit.auc.product", ch, None, "AUC", "attention circuits without CNOTs (product twin)")
    add("qvit.auc.linear", ch, None, "AUC", "logistic regression on the pixels (reference)")
    add("qvit.train_s_per_epoch", ch, None, "s", "quantum ViT training time per epoch")

    ch = "Generating jets with Pythia"
    add("gen.jets_per_s", ch, None, "jets/s", "generator throughput")
    for cls in ("quark", "gluon"):
        add(f"gen.multiplicity.{cls}", ch, None, "particles", f"mean {cls}-jet multiplicity")
    add("gen.cae12.auc.q_vs_g", ch, None, "AUC", "12x12 autoencoder on generated jets")
    add("gen.cae40.auc.q_vs_g", ch, None, "AUC", "40x40 autoencoder on generated jets")
    add("gen.cae40.auc.g_vs_q", ch, None, "AUC", "40x40, trained on gluons, generated jets")
    # the paired AUC differences every quantum model's chapter records for the verdict
    # (quantum minus the other model, on the same test events; err: test sample and seeds)
    owners = {
        "sqae": "Swap-test quantum autoencoder",
        "hae": "Hybrid autoencoder",
        "qvit": "Quantum vision transformer",
        "qcl": "Quantum circuit learning",
        "vqc": "Variational quantum classifier",
        "reupload_susy": "Data re-uploading on SUSY events",
        "bsm.qae": "A quantum autoencoder for new physics",
    }
    against = {
        "product": "its no-entanglement (product) twin",
        "twin": "its classical twin",
        "reference": "its trivial reference",
    }
    for model, chapter in owners.items():
        for role, what in against.items():
            add(f"{model}.delta.{role}", chapter, None, "ΔAUC", f"paired AUC difference to {what}")
    ch = "The verdict"
    add("verdict.n_comparisons", ch, None, "comparisons", "paired comparisons on the verdict page")
    add("verdict.n_significant", ch, None, "comparisons", "significant after Holm's correction")
    return m


CATALOGUE: dict[str, MetricSpec] = _family()
