"""Every size in every chapter, per profile (``QMLHEP_PROFILE``).

``ci``: each chapter runs in a few minutes on 2 cores (used by ``make test``);
``default``: the published book and the reader's profile, online or offline: every
chapter within 10 minutes and 2 GB on 2 cores (Binder, Colab), so sizes are explicit
rather than "all the data" (``make budget`` checks the measured build);
``full``: paper-scale sweeps (hours per chapter; long trainings checkpoint and resume).
A size of ``None`` means "all the data available".
"""

from __future__ import annotations

from types import SimpleNamespace

from qmlhep import config

SIZES: dict[str, dict[str, dict]] = {
    "intro": {"ci": {}, "default": {}, "full": {}},
    "circuits": {
        "ci": {"shots": (10, 100, 1_000), "repeats": 50, "steps": 30},
        "default": {"shots": (10, 100, 1_000, 10_000), "repeats": 200, "steps": 60},
        "full": {"shots": (10, 100, 1_000, 10_000, 100_000), "repeats": 1_000, "steps": 60},
    },
    "judging": {
        "ci": {
            "n_events": 6_000,
            "n_train": 2_000,
            "n_test": 2_000,
            "seeds": 3,
            "boost_rounds": 100,
        },
        "default": {
            "n_events": 60_000,
            "n_train": 10_000,
            "n_test": 20_000,
            "seeds": 5,
            "boost_rounds": 300,
        },
        "full": {
            "n_events": 300_000,
            "n_train": 50_000,
            "n_test": 100_000,
            "seeds": 10,
            "boost_rounds": 600,
        },
    },
    "jet_images": {
        "ci": {"n_jets": 2_000, "n_examples": 8},
        "default": {"n_jets": 100_000, "n_examples": 8},
        "full": {"n_jets": 400_000, "n_examples": 8},
    },
    "susy": {
        # n_events: loaded; selection_*: the greedy DNN-AUC variable selection
        "ci": {
            "n_events": 10_000,
            "selection_train": 2_000,
            "selection_val": 2_000,
            "selection_epochs": 40,
            "selection_max_vars": 7,
            "selection_hidden": (32, 32),
        },
        "default": {
            "n_events": 100_000,
            "selection_train": 4_000,
            "selection_val": 4_000,
            "selection_epochs": 40,
            "selection_max_vars": 7,
            "selection_hidden": (64, 64),
        },
        "full": {
            "n_events": 1_000_000,
            "selection_train": 200_000,
            "selection_val": 100_000,
            "selection_epochs": 60,
            "selection_max_vars": 18,
            "selection_hidden": (128, 128, 128),
        },
    },
    "susy_baselines": {
        # n_events: loaded (None = all); n_test: fixed test set; the rest is the training pool
        "ci": {
            "n_events": None,
            "n_test": 2_000,
            "sizes": (100, 500, 1_000, 5_000),
            "repeats": 2,
            "dnn_epochs": 40,
            "dnn_patience": 6,
            "all18_size": None,
        },
        "default": {
            "n_events": 100_000,
            "n_test": 5_000,
            "sizes": (100, 500, 1_000, 5_000),
            "repeats": 4,
            "dnn_epochs": 200,
            "dnn_patience": 15,
            "all18_size": 10_000,
        },
        "full": {
            "n_events": None,
            "n_test": 100_000,
            "sizes": (100, 500, 1_000, 5_000, 10_000, 100_000, 500_000),
            "repeats": 10,
            "dnn_epochs": 200,
            "dnn_patience": 15,
            "all18_size": 2_000_000,
        },
    },
    "cae": {
        # n_train None = every quark jet left after the test and validation sets
        "ci": {
            "n_jets": 4_000,
            "n_train": 800,
            "n_val": 300,
            "n_test": 1_000,
            "epochs40": 3,
            "epochs12": 15,
            "epochs_sinkhorn": 5,
            "patience": 5,
            "batch_size": 64,
            "n_emd": 300,
            "sinkhorn_iter": 20,
            "n_pca": 1_000,
        },
        "default": {
            "n_jets": 100_000,
            "n_train": 2_000,
            "n_val": 500,
            "n_test": 2_000,
            "epochs40": 20,
            "epochs12": 100,
            "epochs_sinkhorn": 20,
            "patience": 8,
            "batch_size": 64,
            "n_emd": 1_000,
            "sinkhorn_iter": 30,
            "n_pca": 2_000,
        },
        "full": {
            # within 2 hours on 2 cores: at most ~15× the default build's 291 s (5× the
            # jets, 3× the epochs of the 40×40 and 12×12 networks, 2× the Sinkhorn epochs)
            "n_jets": 400_000,
            "n_train": 10_000,
            "n_val": 2_000,
            "n_test": 10_000,
            "epochs40": 60,
            "epochs12": 300,
            "epochs_sinkhorn": 40,
            "patience": 15,
            "batch_size": 128,
            "n_emd": 5_000,
            "sinkhorn_iter": 30,
            "n_pca": 10_000,
        },
    },
    "qcl": {
        # sizes/repeats: the AUC scan (split and classical curves: "susy_baselines");
        # maxiter: COBYLA evaluations; scaling_*: the CPU/memory versus qubits study
        "ci": {
            "sizes": (100, 500, 1_000, 5_000),
            "repeats": 2,
            "maxiter": 150,
            "depths": (1, 3, 5, 7),
            "entangler_depths": (1, 3),
            "variation_size": 1_000,
            "scaling_qubits": tuple(range(2, 11)),
            "scaling_events": 100,
        },
        "default": {
            "sizes": (100, 500, 1_000, 5_000),
            "repeats": 3,
            "maxiter": 600,
            "depths": (1, 3, 5, 7),
            "entangler_depths": (1, 3),
            "variation_size": 1_000,
            "scaling_qubits": tuple(range(2, 12)),
            "scaling_events": 500,
        },
        "full": {
            "sizes": (100, 500, 1_000, 5_000, 10_000),
            "repeats": 10,
            "maxiter": 2_000,
            "depths": (1, 3, 5, 7),
            "entangler_depths": (1, 3),
            "variation_size": 1_000,
            "scaling_qubits": tuple(range(2, 13)),
            "scaling_events": 1_000,
        },
    },
    "reupload_susy": {
        # the re-uploading classifier on SUSY beside its twins (split: "susy_baselines");
        # n_train: events per seed (the paper's 5,000); nvar: Terashi et al.'s variables
        "ci": {
            "n_train": 2_000,
            "seeds": 3,
            "nvar": 7,
            "n_qubits": 2,
            "layers": 3,
            "epochs": 100,
            "patience": 10,
        },
        "default": {
            "n_train": 5_000,
            "seeds": 3,
            "nvar": 7,
            "n_qubits": 2,
            "layers": 3,
            "epochs": 200,
            "patience": 15,
        },
        "full": {
            "n_train": 5_000,
            "seeds": 10,
            "nvar": 7,
            "n_qubits": 2,
            "layers": 3,
            "epochs": 200,
            "patience": 15,
        },
    },
    "bsm_qae": {
        # the event quantum autoencoder beside its twins (data: "bsm_qae"); n_train:
        # background events per seed (the authors' default 1,000), n_val: validation events
        "ci": {
            "n_train": 1_000,
            "n_val": 2_000,
            "seeds": 3,
            "n_trash": 2,
            "batch_size": 32,
            "epochs": 100,
            "patience": 10,
            "cae_hidden": (16, 8),
            "cae_latent": 2,
            "train_sizes": (10, 100),
        },
        "default": {
            "n_train": 1_000,
            "n_val": 5_000,
            "seeds": 5,
            "n_trash": 2,
            "batch_size": 32,
            "epochs": 100,
            "patience": 10,
            "cae_hidden": (16, 8),
            "cae_latent": 2,
            "train_sizes": (10, 100, 10_000),
        },
        "full": {
            "n_train": 1_000,
            "n_val": 5_000,
            "seeds": 10,
            "n_trash": 2,
            "batch_size": 32,
            "epochs": 100,
            "patience": 10,
            "cae_hidden": (16, 8),
            "cae_latent": 2,
            "train_sizes": (10, 30, 100, 300, 3_000, 10_000, 30_000),
        },
    },
    "reuploading": {
        # toy_*: the single-qubit classifier; digits_*: patch uploading on 8x8 digits
        "ci": {
            "toy_train": 400,
            "toy_test": 2_000,
            "toy_epochs": 300,
            "layers": (1, 2, 3, 4, 5),
            "digits_epochs": 6,
            "digits_pairs": ((0, 1), (1, 7), (3, 8)),
        },
        "default": {
            "toy_train": 500,
            "toy_test": 5_000,
            "toy_epochs": 1_000,
            "layers": (1, 2, 3, 4, 5),
            "digits_epochs": 30,
            "digits_pairs": ((0, 1), (1, 7), (3, 8), (4, 9), (5, 6)),
        },
        "full": {
            "toy_train": 1_000,
            "toy_test": 10_000,
            "toy_epochs": 2_000,
            "layers": (1, 2, 3, 4, 5, 6, 8),
            "digits_epochs": 60,
            "digits_pairs": ((0, 1), (1, 7), (3, 8), (4, 9), (5, 6), (2, 3)),
        },
    },
    "swap_test": {
        # jets for the reference-state comparison (quarks train, gluons are the anomaly)
        "ci": {
            "n_jets": 4_000,
            "n_train": 1_000,
            "n_val": 300,
            "n_test": 1_000,
            "layers": 3,
            "epochs": 5,
            "identity_cases": 5,
        },
        "default": {
            "n_jets": 100_000,
            "n_train": 2_000,
            "n_val": 500,
            "n_test": 2_000,
            "layers": 5,
            "epochs": 15,
            "identity_cases": 10,
        },
        "full": {
            # within 2 hours on 2 cores: at most ~27× the default build's 47 s
            "n_jets": 400_000,
            "n_train": 20_000,
            "n_val": 2_000,
            "n_test": 10_000,
            "layers": 5,
            "epochs": 40,
            "identity_cases": 20,
        },
    },
    "sqae": {
        # n_train None = every quark jet left after the test and validation sets
        "ci": {
            "n_jets": 4_000,
            "n_train": 1_000,
            "n_val": 300,
            "n_test": 1_000,
            "epochs": 6,
            "patience": 3,
            "seeds": 2,
            "latent_sizes": (1, 2, 4, 6, 8),
            "layer_counts": (1, 2, 3, 5),
            "study_epochs": 3,
            "batch_size": 64,
        },
        "default": {
            "n_jets": 100_000,
            "n_train": 2_000,
            "n_val": 500,
            "n_test": 4_000,  # AUC test-sample error below 0.01 (DeLong)
            "epochs": 20,
            "patience": 5,
            "seeds": 3,
            "latent_sizes": (1, 2, 4, 6, 8),
            "layer_counts": (1, 2, 3, 5),
            "study_epochs": 8,
            "batch_size": 64,
        },
        "full": {
            # within 2 hours on 2 cores: at most ~20× the default build's 115 s (5× the
            # jets; 2× the epochs and 5 seeds; 2.5× the study epochs over 15 settings)
            "n_jets": 400_000,
            "n_train": 10_000,
            "n_val": 2_000,
            "n_test": 10_000,
            "epochs": 40,
            "patience": 8,
            "seeds": 5,
            "latent_sizes": (1, 2, 3, 4, 5, 6, 7, 8),
            "layer_counts": (1, 2, 3, 4, 5, 6, 8),
            "study_epochs": 20,
            "batch_size": 128,
        },
    },
    "hybrid": {
        # seeds: the 16-qubit hybrid, its product twin and its classical twin (default: 3
        # seeds of each within 10 minutes, so 384 jets and 16 epochs); study_*: latent sizes (16, 9
        # and 4 patches, one seed each); n_train None = every quark jet left over
        # (CI: whole batches of 64, so that no epoch compiles a second batch shape); where
        # the pool is larger than n_train, seed s trains on its own n_train jets;
        # twin_*: the classical twin (about a second per 100 epochs) trains until early
        # stopping, twin_epochs only a safety cap; min_improvement: an epoch improves when
        # the validation loss falls by more than this fraction of its best (all three models)
        "ci": {
            "n_jets": 4_000,
            "n_train": 384,
            "n_val": 128,
            "n_test": 1_000,
            "epochs": 5,
            "patience": 3,
            "seeds": 2,
            "batch_size": 64,
            "learning_rate": 1e-2,
            "study_epochs": 5,
            "twin_epochs": 1_000,
            "twin_patience": 10,
            "min_improvement": 5e-3,
        },
        "default": {
            "n_jets": 100_000,
            "n_train": 384,
            "n_val": 256,
            "n_test": 2_000,
            "epochs": 16,
            "patience": 5,
            "seeds": 3,
            "batch_size": 64,
            "learning_rate": 1e-2,
            "study_epochs": 16,
            "twin_epochs": 1_000,
            "twin_patience": 10,
            "min_improvement": 5e-3,
        },
        "full": {
            # within 2 hours on 2 cores: a 16-qubit epoch of 1,024 jets takes ~10 s, so the
            # 6 quantum runs ≤ 60 min, the 4 of the latent-size study ≤ 27 min; `make
            # converged` keeps the hybrid's and its twins' runs of this profile
            "n_jets": 400_000,
            "n_train": 1_024,
            "n_val": 1_000,
            "n_test": 4_000,
            "epochs": 60,
            "patience": 6,
            "seeds": 3,
            "batch_size": 64,
            "learning_rate": 1e-2,
            "study_epochs": 40,
            "twin_epochs": 1_000,
            "twin_patience": 10,
            "min_improvement": 5e-3,
        },
    },
    "vit": {
        # supervised quark/gluon classification; n_train None = every jet left over
        "ci": {
            "n_jets": 4_000,
            "n_train": 1_536,
            "n_val": 512,
            "n_test": 1_000,
            "epochs": 12,
            "patience": 4,
            "seeds": 2,
            "batch_size": 64,
            "learning_rate": 3e-3,
            "qsa_layers": 2,
        },
        "default": {
            "n_jets": 100_000,
            "n_train": 4_000,
            "n_val": 1_000,
            "n_test": 4_000,  # AUC test-sample error below 0.01 (DeLong)
            "epochs": 40,
            "patience": 8,
            "seeds": 3,
            "batch_size": 64,
            "learning_rate": 3e-3,
            "qsa_layers": 2,
        },
        "full": {
            # within 2 hours on 2 cores: at most ~21× the default build's 160 s (5× the
            # jets, 2.5× the epochs, 5 seeds), less where early stopping ends a run
            "n_jets": 400_000,
            "n_train": 20_000,
            "n_val": 5_000,
            "n_test": 20_000,
            "epochs": 100,
            "patience": 15,
            "seeds": 5,
            "batch_size": 128,
            "learning_rate": 3e-3,
            "qsa_layers": 2,
        },
    },
    "vqc": {
        # trials: the paper's 40 + 40 event study on Aer's sampler (FOE and SOE);
        # scan_*: train/test AUC versus size and the depth grid (exact route, 1024 shots);
        # qml_trials: qiskit-machine-learning's VQC on the same samples; jobs: processes;
        # maxiter: COBYLA evaluations (the paper's 100; the CI profile stops at 40)
        "ci": {
            "maxiter": 40,
            "trials": 2,
            "scan_sizes": (40, 70, 100, 200, 500, 1_000),
            "scan_trials": 3,
            "input_depths": (1, 2),
            "var_depths": (1, 2, 3),
            "grid_trials": 2,
            "qml_trials": 1,
            "jobs": 2,
        },
        "default": {
            "maxiter": 100,
            "trials": 5,
            "scan_sizes": (40, 70, 100, 200, 500, 1_000),
            "scan_trials": 5,
            "input_depths": (1, 2),
            "var_depths": (1, 2, 3),
            "grid_trials": 5,
            "qml_trials": 5,
            "jobs": 2,
        },
        "full": {
            "maxiter": 100,
            "trials": 10,
            "scan_sizes": (40, 70, 100, 200, 500, 1_000, 5_000),
            "scan_trials": 10,
            "input_depths": (1, 2, 3),
            "var_depths": (1, 2, 3, 4),
            "grid_trials": 10,
            "qml_trials": 5,
            "jobs": 2,
        },
    },
    "vqc_devices": {
        # trials per (device, encoding); hardware_maxiter: the short fit that shows the
        # job store on a fake backend (and on real hardware when QMLHEP_IBM_BACKEND is set)
        "ci": {"maxiter": 40, "trials": 2, "cal_shots": 10_000, "hardware_maxiter": 14, "jobs": 2},
        "default": {
            "maxiter": 100,
            "trials": 3,
            "cal_shots": 20_000,
            "hardware_maxiter": 100,
            "jobs": 2,
        },
        "full": {
            "maxiter": 100,
            "trials": 10,
            "cal_shots": 20_000,
            "hardware_maxiter": 100,
            "jobs": 2,
        },
    },
    "generator": {
        # n_per_class: generated jets of each kind; cae_*: the autoencoder re-run
        "ci": {
            "n_per_class": 300,
            "jobs": 2,
            "cae_epochs12": 15,
            "cae_epochs40": 3,
            "cae_patience": 5,
            "cae_batch": 32,
            "n_val": 1_000,
            "n_test": 1_000,
        },
        "default": {
            "n_per_class": 1_000,
            "jobs": 2,
            "cae_epochs12": 100,
            "cae_epochs40": 10,
            "cae_patience": 8,
            "cae_batch": 64,
            "n_val": 300,
            "n_test": 800,
        },
        "full": {
            "n_per_class": 50_000,
            "jobs": 2,
            "cae_epochs12": 600,
            "cae_epochs40": 100,
            "cae_patience": 15,
            "cae_batch": 256,
            "n_val": 5_000,
            "n_test": 10_000,
        },
    },
    "fast_simulation": {"ci": {}, "default": {}, "full": {}},  # reads bench.json only
    "verdict": {"ci": {}, "default": {}, "full": {}},
    "summary": {"ci": {}, "default": {}, "full": {}},
}


def sizes(chapter: str) -> SimpleNamespace:
    """The sizes of ``chapter`` in the active profile, as attributes."""
    if chapter not in SIZES:
        raise KeyError(
            f"no sizes for chapter {chapter!r}; add it to qmlhep/profiles.py "
            f"(known: {', '.join(SIZES)})"
        )
    return SimpleNamespace(profile=config.profile(), **SIZES[chapter][config.profile()])


def _fmt(value) -> str:
    if isinstance(value, tuple):
        return (
            ", ".join(map(_fmt, value))
            if len(value) < 6
            else f"{_fmt(value[0])} … {_fmt(value[-1])} ({len(value)} values)"
        )
    if value is None:
        return "all"
    return f"{value:,}" if isinstance(value, int) else str(value)


def full_adds(chapter: str, profile: str = "default") -> list[str]:
    """What the ``full`` profile changes against ``profile`` for ``chapter``, as
    ``"name: a → b"`` lines (computed from :data:`SIZES`, so never out of date)."""
    base, full = SIZES[chapter][profile], SIZES[chapter]["full"]
    return [
        f"{name}: {_fmt(base.get(name))} → {_fmt(value)}"
        for name, value in full.items()
        if base.get(name) != value
    ]
