"""The base classes and mixins every estimator of the book stands on.

- :class:`BinaryClassifierMixin`: the scikit-learn tags of a two-class classifier (every
  classifier of the book separates signal from background);
- :class:`OffsetOutlierMixin`: ``decision_function`` and ``predict`` of an outlier detector
  (the SQAE, the event QAE, the dense autoencoders) from its ``score_samples`` and
  ``offset_``, as in scikit-learn's :class:`~sklearn.ensemble.IsolationForest`: the score
  minus the offset below which the ``contamination`` fraction of the training samples
  falls, and +1 (inlier) or -1 (outlier);
- :class:`KerasBinaryClassifier`: the scikit-learn face of a Keras network with one
  sigmoid output (the DNNs, the re-uploading event classifier, the image classifiers).

What every estimator's parameters and fitted attributes are called is the book's one
vocabulary (``docs/architecture.md``; ``tests/test_vocabulary.py``).
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from qmlhep.fitting.validation import check_labels, check_new_data


class BinaryClassifierMixin:
    """scikit-learn tags of a two-class classifier: the book's tasks are signal versus
    background, so the estimator checks skip their multi-class cases."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags


class OffsetOutlierMixin:
    """``decision_function`` and ``predict`` from ``score_samples`` and ``offset_``."""

    def decision_function(self, X) -> np.ndarray:
        """``score_samples(X) - offset_``: negative for an outlier."""
        return self.score_samples(X) - self.offset_

    def predict(self, X) -> np.ndarray:
        """+1 for a sample like the training ones, -1 for an outlier."""
        return np.where(self.decision_function(X) < 0, -1, 1)


class KerasBinaryClassifier(BinaryClassifierMixin, ClassifierMixin, BaseEstimator):
    """The scikit-learn face of a Keras network with one sigmoid output (class 1).

    Subclasses fit ``model_``, set ``history_`` (a DataFrame, one row per epoch) and
    ``n_params_``, call :meth:`_targets` (which sets ``classes_``) in ``fit``, and say in
    :meth:`_inputs` how ``X`` becomes the network's input.
    """

    predict_batch: int = 4096

    def _targets(self, y, n_samples: int | None = None) -> np.ndarray:
        """0/1 float targets for labels ``y``; sets ``classes_`` (exactly two, no NaN, one
        per sample, else an error)."""

        y = check_labels(y, len(y) if n_samples is None else n_samples, who=type(self).__name__)
        self.classes_ = np.unique(y)
        return (y == self.classes_[1]).astype(np.float32)

    def _inputs(self, X) -> np.ndarray:
        raise NotImplementedError

    def _checked(self, X) -> np.ndarray:
        """New inputs, checked (a table here; images in the image classifier)."""

        return check_new_data(self, X, "model_")

    def predict_proba(self, X) -> np.ndarray:
        """(n, 2) class probabilities."""
        X = self._checked(X)
        p = self.model_.predict(self._inputs(X), batch_size=self.predict_batch, verbose=0)
        p = np.asarray(p).reshape(-1)
        return np.stack([1.0 - p, p], axis=1)

    def predict(self, X) -> np.ndarray:
        p1 = self.predict_proba(X)[:, 1]  # checks the fit first
        return self.classes_[(p1 > 0.5).astype(int)]
