"""What every outlier detector of the book derives from its ``score_samples``.

Each detector (the SQAE, the event QAE, the dense autoencoders) scores a sample with
``score_samples`` (the lower, the more abnormal) and stores ``offset_``, the score below
which the ``contamination`` fraction of its training samples falls. As in scikit-learn's
:class:`~sklearn.ensemble.IsolationForest`, ``decision_function`` is the score minus that
offset and ``predict`` says +1 (inlier) or -1 (outlier).
"""

from __future__ import annotations

import numpy as np


class OffsetOutlierMixin:
    """``decision_function`` and ``predict`` from ``score_samples`` and ``offset_``."""

    def decision_function(self, X) -> np.ndarray:
        """``score_samples(X) - offset_``: negative for an outlier."""
        return self.score_samples(X) - self.offset_

    def predict(self, X) -> np.ndarray:
        """+1 for a sample like the training ones, -1 for an outlier."""
        return np.where(self.decision_function(X) < 0, -1, 1)
