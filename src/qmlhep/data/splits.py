"""Every split of the book's data: one function per purpose.

- :func:`quark_gluon_split`: jet images split, stratified and seeded, for supervised
  quark/gluon classification (test, validation, then training, so a larger training set
  never changes the test set);
- :func:`anomaly_split` and :func:`quark_gluon_images`: a balanced test set, and training
  and validation sets of the *normal* class only, for anomaly tagging;
- :func:`stratified_subset` and :func:`balanced_subset`: a seeded subset of a pool, with
  the classes in proportion or balanced.

The profile's sizes are upper limits: the test set is capped at a fifth and the
validation set at a tenth of the jets at hand, and ``n_train=None`` takes every jet left.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import train_test_split

from qmlhep.data import jet_images, load_qg_jets
from qmlhep.fitting.validation import check_count


def check_sizes(who: str, n_train: int | None, n_val: int, n_test: int) -> None:
    """Refuse split sizes that are not counts (``n_train`` may be None: every event left),
    naming the argument, before anything is drawn."""
    if n_train is not None:
        check_count(n_train, "n_train", who)
    check_count(n_val, "n_val", who)
    check_count(n_test, "n_test", who, minimum=2)


def check_disjoint(**parts: np.ndarray) -> None:
    """Every event (position) in at most one of ``parts``: a test event in the training or
    validation set would be a silent, optimistic bias; it is a bug, and stops here."""
    names = list(parts)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            shared = np.intersect1d(parts[a], parts[b])
            if shared.size:
                raise RuntimeError(
                    f"the {a} and {b} sets share {shared.size} events (first "
                    f"{shared[:5].tolist()}); this is a bug of the split, please report it."
                )


@dataclass
class ImageSplit:
    """Images ``(n, size, size)`` and labels (quark = 1) of each part, with provenance."""

    train: np.ndarray
    y_train: np.ndarray
    val: np.ndarray
    y_val: np.ndarray
    test: np.ndarray
    y_test: np.ndarray
    provenance: object


def quark_gluon_split(
    n_jets: int | None, n_train: int | None, n_val: int, n_test: int, size: int = 12, seed: int = 0
) -> ImageSplit:
    """Stratified, seeded split of ``n_jets`` jets' ``size``×``size`` images."""

    check_sizes("quark_gluon_split", n_train, n_val, n_test)

    jets = load_qg_jets(n_jets=n_jets, allow_fewer=True)
    images, y = jet_images(jets.X, size=size), np.asarray(jets.y)
    n_test, n_val = min(n_test, len(y) // 5), min(n_val, len(y) // 10)
    index = np.arange(len(y))
    rest, test = train_test_split(index, test_size=n_test, stratify=y, random_state=seed)
    rest, val = train_test_split(rest, test_size=n_val, stratify=y[rest], random_state=seed)
    if n_train is not None and n_train < len(rest):
        rest, _ = train_test_split(rest, train_size=n_train, stratify=y[rest], random_state=seed)
    check_disjoint(train=rest, validation=val, test=test)
    return ImageSplit(
        images[rest], y[rest], images[val], y[val], images[test], y[test], jets.provenance
    )


def stratified_subset(X: np.ndarray, y: np.ndarray, size: int, seed: int):
    """``size`` events drawn from (X, y) with both classes in proportion; all if size >= len.

    A stratified draw needs at least one event of each class in the subset and in what is
    left, so ``size`` must be at least the number of classes and, unless it takes the whole
    pool, leave that many behind: other sizes are refused naming the valid range."""
    size = check_count(size, "size", "stratified_subset")
    if size >= len(y):
        return X, y
    n_classes = len(np.unique(y))
    if size < n_classes or len(y) - size < n_classes:
        raise ValueError(
            f"stratified_subset: size={size} cannot hold the {n_classes} classes in "
            f"proportion from {len(y)} events; use {n_classes} ≤ size ≤ "
            f"{len(y) - n_classes}, or size ≥ {len(y)} for the whole pool."
        )
    X_s, _, y_s, _ = train_test_split(X, y, train_size=size, stratify=y, random_state=seed)
    return X_s, y_s


def identical_subsets(X: np.ndarray, y: np.ndarray, size: int, seeds: int) -> bool:
    """Whether the :func:`stratified_subset` of ``size`` events drawn for seeds
    ``0 … seeds-1`` are all the same events (as sets of rows), as when ``size`` takes the
    whole pool: then a spread over seeds measures initialisation only."""
    rows = [
        np.unique(np.column_stack(stratified_subset(X, y, size, seed)), axis=0)
        for seed in range(seeds)
    ]
    return all(r.shape == rows[0].shape and np.array_equal(r, rows[0]) for r in rows[1:])


def balanced_subset(X: np.ndarray, y: np.ndarray, size: int, seed: int):
    """``size // 2`` events of each class of a binary ``y``, drawn without replacement
    (an odd ``size`` gives ``size - 1`` events, as balance needs)."""
    size = check_count(size, "size", "balanced_subset", minimum=2)
    if len(np.unique(y)) != 2:
        raise ValueError(
            f"balanced_subset: y must hold two classes to balance, it holds "
            f"{np.unique(y).tolist()[:10]}."
        )
    rng = np.random.default_rng(seed)
    picks = []
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        if len(members) < size // 2:
            raise ValueError(
                f"{size // 2} events of class {label} wanted but only "
                f"{len(members)} are available; use a smaller size or more data."
            )
        picks.append(rng.choice(members, size // 2, replace=False))
    index = rng.permutation(np.concatenate(picks))
    return X[index], y[index]


def anomaly_split(
    X: np.ndarray,
    y: np.ndarray,
    normal_label: int,
    n_train: int | None,
    n_val: int,
    n_test: int,
    seed: int = 0,
):
    """Split labelled examples for anomaly detection.

    First a balanced test set of ``n_test`` examples (half normal, half anomalous) is set
    aside; the training and validation sets are then drawn from the remaining *normal*
    examples only (``n_train`` None = all that remain). The test set is shuffled, so any
    leading slice of it is balanced on average. Returns
    ``X_train, X_val, X_test, is_anomaly_test``.
    """
    check_sizes("anomaly_split", n_train, n_val, n_test)
    rng = np.random.default_rng(seed)
    normal = rng.permutation(np.flatnonzero(y == normal_label))
    anomalous = rng.permutation(np.flatnonzero(y != normal_label))
    half = n_test // 2
    if half > len(anomalous) or half + n_val + 1 > len(normal):
        raise ValueError(
            f"not enough examples: {len(normal)} normal and {len(anomalous)} "
            f"anomalous for a test set of {n_test} and {n_val} for validation."
        )
    test = rng.permutation(np.concatenate([normal[:half], anomalous[:half]]))  # mixed order
    rest = normal[half:]
    val, train = rest[:n_val], rest[n_val:]
    train = train if n_train is None else train[:n_train]
    check_disjoint(train=train, validation=val, test=test)
    return X[train], X[val], X[test], (y[test] != normal_label).astype(np.int8)


@dataclass
class JetAnomalyData:
    """Jets split once for quark-trained tagging, as images of one or more sizes.

    ``images[size]``: every jet's image ``(N, size, size)``; ``train_idx``/``val_idx``:
    quark jets; ``test_idx``: a balanced quark/gluon test set labelled by ``is_gluon``.
    ``train``/``val``/``test`` are the images of the first size.
    """

    jets: object
    images: dict[int, np.ndarray]
    train_idx: np.ndarray
    val_idx: np.ndarray
    test_idx: np.ndarray
    is_gluon: np.ndarray

    @property
    def provenance(self):
        return self.jets.provenance

    def split(self, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(train, val, test)`` images of one size (the same jets at every size)."""
        images = self.images[size]
        return images[self.train_idx], images[self.val_idx], images[self.test_idx]

    @property
    def train(self) -> np.ndarray:
        return self.split(next(iter(self.images)))[0]

    @property
    def val(self) -> np.ndarray:
        return self.split(next(iter(self.images)))[1]

    @property
    def test(self) -> np.ndarray:
        return self.split(next(iter(self.images)))[2]


def quark_gluon_images(
    n_jets: int,
    n_train: int | None,
    n_val: int,
    n_test: int,
    sizes: tuple[int, ...] = (12,),
    seed: int = 0,
    jets=None,
) -> JetAnomalyData:
    """Load jets, make images of every size in ``sizes``, split once for quark training.

    The profile's sizes are upper limits: the test set is capped at a fifth and the
    validation set at a tenth of the jets at hand (e.g. the offline sample). ``jets``
    (a :class:`~qmlhep.data.Labelled`, quark = 1) replaces the loaded sample, e.g. jets
    generated with :func:`qmlhep.data.generated_jets.generate_qg_jets`.
    """

    check_sizes("quark_gluon_images", n_train, n_val, n_test)
    jets = (
        load_qg_jets(n_jets=n_jets, allow_fewer=True)
        if jets is None
        else jets.head(n_jets, allow_fewer=True)
    )
    made = jet_images(jets.X, size=sizes if len(sizes) > 1 else sizes[0])
    images = made if len(sizes) > 1 else {sizes[0]: made}
    n_test, n_val = min(n_test, len(jets) // 5), min(n_val, len(jets) // 10)
    tr, va, te, is_gluon = anomaly_split(
        np.arange(len(jets)),
        jets.y,
        normal_label=1,
        n_train=n_train,
        n_val=n_val,
        n_test=n_test,
        seed=seed,
    )
    return JetAnomalyData(jets, {s: images[s] for s in sizes}, tr, va, te, is_gluon)
