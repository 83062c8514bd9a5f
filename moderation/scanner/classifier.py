"""The offline text classifier: alt-profanity-check's model, evaluated without scikit-learn's overhead.

alt-profanity-check ships its model (a TF-IDF vectorizer and a linear SVM calibrated with
sigmoids over 5 folds, trained on 200k labelled English texts). Its own `predict_prob` costs
about 8 ms for one short text here, nearly all of it scikit-learn's per-call checks, and
importing scikit-learn costs 3 s. The model itself is a dot product: per fold
`d = w . tfidf(text) + c`, `p = 1 / (1 + exp(a d + b))`, averaged. So the weights are read once
from the package's own files (with scikit-learn, the first time), kept in a JSON cache under
`VAR_DIR` named by the package's version, and evaluated here in a few microseconds. The tests
check that `probability` equals `profanity_check.predict_prob` on the labelled set.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

PACKAGE = "alt-profanity-check"


@dataclass(frozen=True)
class LinearModel:
    token_pattern: re.Pattern
    stop_words: frozenset[str]
    # token -> (idf, weight of fold 1, ..., weight of fold k)
    vocabulary: dict[str, tuple[float, ...]]
    intercepts: tuple[float, ...]
    # per fold, the sigmoid's (a, b)
    calibration: tuple[tuple[float, float], ...]

    def probability(self, text: str) -> float:
        """The probability that `text` is offensive, as `profanity_check.predict_prob` gives it."""
        counts = Counter(t for t in self.token_pattern.findall(text.lower()) if t not in self.stop_words)
        folds = len(self.intercepts)
        sums = [0.0] * folds
        norm = 0.0
        for token, count in counts.items():
            entry = self.vocabulary.get(token)
            if entry is None:
                continue
            weight = count * entry[0]
            norm += weight * weight
            for k in range(folds):
                sums[k] += weight * entry[k + 1]
        scale = 1.0 / math.sqrt(norm) if norm > 0 else 0.0
        total = 0.0
        for k in range(folds):
            a, b = self.calibration[k]
            z = a * (sums[k] * scale + self.intercepts[k]) + b
            total += 1.0 / (1.0 + math.exp(z)) if z < 700 else 0.0
        return min(1.0, total / folds)


def _version() -> str:
    return metadata.version(PACKAGE)


def _cache_path() -> Path:
    return Path(settings.VAR_DIR) / "cache" / f"profanity-check-{_version()}.json"


def _extract() -> dict:
    """Read the weights out of the package's shipped model (needs scikit-learn; about 3 s)."""
    from profanity_check import profanity_check as package

    vectorizer, model = package.vectorizer, package.model
    folds = model.calibrated_classifiers_
    idf = vectorizer.idf_
    coefs = [fold.estimator.coef_[0] for fold in folds]
    vocabulary = {
        token: [float(idf[index]), *(float(coef[index]) for coef in coefs)]
        for token, index in vectorizer.vocabulary_.items()
    }
    return {
        "version": _version(),
        "token_pattern": vectorizer.token_pattern,
        "stop_words": sorted(vectorizer.get_stop_words() or ()),
        "vocabulary": vocabulary,
        "intercepts": [float(fold.estimator.intercept_[0]) for fold in folds],
        "calibration": [[float(fold.calibrators[0].a_), float(fold.calibrators[0].b_)] for fold in folds],
    }


def _load_data() -> dict:
    path = _cache_path()
    try:
        data = json.loads(path.read_text())
        if data.get("version") == _version():
            return data
    except (OSError, ValueError):
        pass
    data = _extract()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        tmp.replace(path)
    except OSError:
        logger.warning("moderation: could not cache the classifier's weights at %s", path)
    return data


@cache
def model() -> LinearModel:
    data = _load_data()
    return LinearModel(
        token_pattern=re.compile(data["token_pattern"]),
        stop_words=frozenset(data["stop_words"]),
        vocabulary={token: tuple(values) for token, values in data["vocabulary"].items()},
        intercepts=tuple(data["intercepts"]),
        calibration=tuple((a, b) for a, b in data["calibration"]),
    )
