"""The statistical event typer: multinomial logistic regression over offline text features.

A model maps a snippet to one of ACLED's 25 sub-event types or to "no ACLED
event" (None). Features (see `features.py`) are hashed word/char n-gram TF-IDF,
WordLlama static embeddings, or both concatenated ("both", the default, was
best on the held-out split; README "Event typing model"). Training is plain
numpy/scipy (L-BFGS on the L2-regularised cross-entropy, started from zeros),
so the same data and options always give the same model. No torch.

A model file is one ``.npz`` (no pickles): the class names, the kept n-gram
buckets with their IDF, the weights and a JSON header with the options.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import scipy.optimize
import scipy.sparse as sp

from eventcoder.errors import DataFileError, EventcoderError
from eventcoder.extract.features import NgramVocabulary, embed, hashed_counts

FEATURE_KINDS = ("ngrams", "wordllama", "both")
DECISIVE_WEIGHT = 3  # rule trigger weight at which the rules keep their say
MIN_AGREEMENT = 0.2  # ... unless the model gives their type less than this probability
MODEL_FORMAT = 1
_NONE = ""  # how "no ACLED event" is stored in a model file


def heldout_bucket(text: str) -> int:
    """A stable number 0-99 for a text (SHA-1 of its lower-cased, whitespace-collapsed form)."""
    norm = " ".join(text.lower().split())
    return int(hashlib.sha1(norm.encode("utf-8")).hexdigest()[:8], 16) % 100


def is_heldout(text: str, percent: int = 20) -> bool:
    """True for the held-out split: the texts whose bucket is below `percent`."""
    return heldout_bucket(text) < percent


@dataclass
class TypeModel:
    """A trained event-type model."""

    classes: list[str | None]
    features: str
    W: np.ndarray  # (n_features, n_classes) float32
    b: np.ndarray  # (n_classes,) float32
    vocab: NgramVocabulary | None = None
    embed_scale: float = 1.0
    meta: dict = field(default_factory=dict)

    # -- prediction ------------------------------------------------------
    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Class probabilities, one row per text, columns in `classes` order."""
        if not texts:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        return _softmax(self._scores(texts).astype(np.float64)).astype(np.float32)

    def _scores(self, texts: list[str]) -> np.ndarray:
        """The linear scores, computed densely: building scipy matrices cost more than the maths for the
        one or few sentences a report asks about at a time."""
        z = np.tile(self.b, (len(texts), 1))
        offset = 0
        if self.features in ("ngrams", "both"):
            for i, text in enumerate(texts):
                col, data = self.vocab.row(text)
                z[i] += data @ self.W[col]
            offset = len(self.vocab)
        if self.features in ("wordllama", "both"):
            z += (embed(texts) * np.float32(self.embed_scale)) @ self.W[offset:]
        return z

    def _scores_sparse(self, texts: list[str]) -> np.ndarray:
        """The same scores through the training design matrix (kept to check `_scores` against)."""
        z = _design(texts, self.features, self.vocab, self.embed_scale) @ self.W + self.b
        return np.asarray(z, dtype=np.float32)

    def predict(self, texts: list[str]) -> list[tuple[str | None, float]]:
        """The most probable sub-event type (None: no ACLED event) and its probability, per text."""
        p = self.predict_proba(list(texts))
        best = p.argmax(axis=1)
        return [(self.classes[k], round(float(p[i, k]), 4)) for i, k in enumerate(best)]

    def probability_of(self, text: str, sub_event_type: str | None) -> float:
        """The model's probability that the text reports this sub-event type."""
        if sub_event_type not in self.classes:
            return 0.0
        return float(self.predict_proba([text])[0, self.classes.index(sub_event_type)])

    # -- files -------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the model as one compressed .npz file."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        header = {"format": MODEL_FORMAT, "features": self.features, "embed_scale": self.embed_scale,
                  **self.meta}
        arrays = {"classes": np.array([c if c is not None else _NONE for c in self.classes]),
                  "W": self.W.astype(np.float32), "b": self.b.astype(np.float32),
                  "header": np.array(json.dumps(header, sort_keys=True))}
        if self.vocab is not None:
            arrays["buckets"] = self.vocab.buckets.astype(np.int32)
            arrays["idf"] = self.vocab.idf.astype(np.float32)
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        return path

    @classmethod
    def load(cls, path: str | Path) -> TypeModel:
        """Read a model file written by `save`."""
        try:
            with np.load(Path(path), allow_pickle=False) as z:
                header = json.loads(str(z["header"]))
                classes = [str(c) or None for c in z["classes"]]
                vocab = NgramVocabulary(z["buckets"], z["idf"]) if "buckets" in z.files else None
                W, b = z["W"].astype(np.float32), z["b"].astype(np.float32)
        except (OSError, KeyError, ValueError) as exc:
            raise DataFileError(f"{path}: not an eventcoder event-type model ({exc})") from exc
        if header.get("format") != MODEL_FORMAT or header.get("features") not in FEATURE_KINDS:
            raise DataFileError(f"{path}: unsupported model format {header.get('format')!r}")
        features = header.pop("features")
        scale = float(header.pop("embed_scale", 1.0))
        header.pop("format", None)
        return cls(classes, features, W, b, vocab, scale, header)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _design(texts: list[str], features: str, vocab: NgramVocabulary | None, embed_scale: float) -> sp.csr_matrix:
    """The feature matrix of some texts (sparse n-grams, dense embeddings, or both side by side)."""
    blocks = []
    if features in ("ngrams", "both"):
        blocks.append(vocab.transform(hashed_counts(texts)))
    if features in ("wordllama", "both"):
        blocks.append(sp.csr_matrix(embed(texts) * np.float32(embed_scale)))
    return blocks[0] if len(blocks) == 1 else sp.hstack(blocks, format="csr")


def train_type_model(texts: list[str], labels: list[str | None], features: str = "both",
                     l2: float = 3e-5, embed_scale: float = 0.5, min_df: int = 2,
                     max_iter: int = 400, class_weight: float = 0.5) -> TypeModel:
    """Fit a model on labelled snippets (label None = no ACLED event).

    `class_weight` tempers class imbalance: each example counts
    (n / (k * n_class)) ** class_weight (0 = no reweighting, 1 = balanced).
    """
    if features not in FEATURE_KINDS:
        raise EventcoderError(f"features must be one of {', '.join(FEATURE_KINDS)}")
    if len(texts) != len(labels) or not texts:
        raise EventcoderError("no labelled snippets to train on")
    classes = sorted({lab for lab in labels if lab is not None})
    if any(lab is None for lab in labels):
        classes = [None] + classes
    if len(classes) < 2:
        raise EventcoderError("training needs at least two different labels")
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[lab] for lab in labels])
    vocab = NgramVocabulary.fit(hashed_counts(texts), min_df) if features in ("ngrams", "both") else None
    X = _design(texts, features, vocab, embed_scale).astype(np.float64)
    counts = np.bincount(y, minlength=len(classes)).astype(np.float64)
    sw = (len(y) / (len(classes) * counts[y])) ** class_weight
    sw = sw / sw.sum()
    W, b = _fit_logreg(X, y, len(classes), sw, l2, max_iter)
    meta = {"l2": l2, "min_df": min_df, "class_weight": class_weight, "n_train": len(texts),
            "class_counts": {c or "none": int(n) for c, n in zip(classes, counts)}}
    return TypeModel(classes, features, W.astype(np.float32), b.astype(np.float32), vocab, embed_scale, meta)


def _fit_logreg(X: sp.csr_matrix, y: np.ndarray, k: int, sw: np.ndarray, l2: float,
                max_iter: int) -> tuple[np.ndarray, np.ndarray]:
    """Minimise the sample-weighted cross-entropy + l2/2 |W|^2 with L-BFGS from zeros."""
    n, d = X.shape
    Xt = X.T.tocsr()
    rows = np.arange(n)

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        W = theta[:d * k].reshape(d, k)
        z = X @ W + theta[d * k:]
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1)
        loss = float(-(sw * (z[rows, y] - np.log(s))).sum() + 0.5 * l2 * np.dot(W.ravel(), W.ravel()))
        g = e / s[:, None]
        g[rows, y] -= 1.0
        g *= sw[:, None]
        grad = np.concatenate([(Xt @ g + l2 * W).ravel(), g.sum(axis=0)])
        return loss, grad

    res = scipy.optimize.minimize(objective, np.zeros(d * k + k), jac=True, method="L-BFGS-B",
                                  options={"maxiter": max_iter, "maxcor": 10, "gtol": 1e-6})
    return res.x[:d * k].reshape(d, k), res.x[d * k:]


MODEL_ENV = "EVENTCODER_TYPE_MODEL"


def shipped_model_path() -> Path:
    """The model file shipped with the package."""
    return Path(str(resources.files("eventcoder.data").joinpath("type_model.npz")))


def default_model_path() -> Path:
    """$EVENTCODER_TYPE_MODEL when set, else the shipped model file."""
    env = os.environ.get(MODEL_ENV)
    return Path(env) if env else shipped_model_path()


def use_type_model(path: str | Path) -> TypeModel:
    """Make `path` the default model of this process and the processes it starts (checks it loads)."""
    model = load_type_model(path)
    os.environ[MODEL_ENV] = str(Path(path).resolve())
    return model


@lru_cache(maxsize=4)
def _load_cached(path: str) -> TypeModel:
    return TypeModel.load(path)


def load_type_model(path: str | Path | None = None) -> TypeModel:
    """The event-type model at `path` (default: the shipped one), loaded once per process."""
    p = Path(path) if path is not None else default_model_path()
    if not p.exists():
        raise DataFileError(f"event-type model file not found: {p}")
    return _load_cached(str(p.resolve()))


def rule_score(weight: float) -> float:
    """The score of a decision the rules make alone (1 weak ... 0.85 decisive, 1.0 for 4+)."""
    return round(min(1.0, 0.4 + 0.15 * weight), 3)


def hybrid_type(text: str, rule_sub: str | None, rule_weight: float, model: TypeModel | None,
                decisive_weight: float = DECISIVE_WEIGHT, min_agreement: float = MIN_AGREEMENT,
                proba: np.ndarray | None = None) -> tuple[str | None, float]:
    """Rules and model together: sure rules keep their say, the model decides the rest.

    - rule_sub with rule_weight >= decisive_weight (suicide bomber, airstrike,
      grenade, ...) stands, scored like a rule decision, unless the model
      gives that type less than `min_agreement` probability ("grenades found
      in a cache" is Disrupted weapons use, not Grenade; measured on the
      held-out split, unconditional rules lose 4 points of weighted F1);
    - otherwise the model's type (None: no ACLED event, which also rejects
      weak rule hits on non-events) with its probability;
    - without a model, the rules alone.
    `proba`: the model's probabilities for this text when already computed.
    """
    if model is None:
        return (rule_sub, rule_score(rule_weight)) if rule_sub is not None else (None, 0.0)
    p = model.predict_proba([text])[0] if proba is None else proba
    if rule_sub is not None and rule_weight >= decisive_weight and rule_sub in model.classes \
            and p[model.classes.index(rule_sub)] >= min_agreement:
        return rule_sub, rule_score(rule_weight)
    k = int(p.argmax())
    return model.classes[k], round(float(p[k]), 3)


def rules_can_matter(proba: np.ndarray, min_agreement: float = MIN_AGREEMENT) -> bool:
    """False when the model is so sure that no rule could override it (saves the parse)."""
    return float(np.sort(proba)[-2]) >= min_agreement if len(proba) > 1 else False
