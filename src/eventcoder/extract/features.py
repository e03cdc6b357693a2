"""Text features for the event-type model: hashed word/char n-grams and WordLlama embeddings.

Everything here is deterministic and offline:

- hashed n-grams: lower-cased words (digits folded to one token), word
  bigrams and character 3-5-grams inside words, hashed with CRC-32 into
  2**20 buckets (stable across processes, unlike Python's ``hash``), with
  sublinear term frequency; the model keeps the buckets seen in training
  with their IDF and L2-normalises each row.
- WordLlama: the static token embeddings (256 dimensions, ``l2_supercat``)
  shipped inside the ``wordllama`` package, average-pooled and L2-normalised.
  Loaded from the installed package folder with downloads disabled.
"""
from __future__ import annotations

import re
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from eventcoder.errors import EventcoderError

HASH_BITS = 20
_MASK = (1 << HASH_BITS) - 1
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*")
_CHAR_N = (3, 4, 5)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; every number becomes '0'."""
    return ["0" if t[0].isdigit() else t for t in _TOKEN.findall(text.lower())]


def _grams(text: str) -> list[str]:
    """The n-gram strings of one text (prefixed by kind so kinds never collide)."""
    toks = tokens(text)
    out = ["w:" + t for t in toks]
    out += ["b:" + a + " " + b for a, b in zip(toks, toks[1:])]
    for t in toks:
        if len(t) < 3:
            continue
        padded = f"<{t}>"
        for n in _CHAR_N:
            out += ["c:" + padded[i:i + n] for i in range(len(padded) - n + 1)]
    return out


def gram_ids(text: str) -> list[int]:
    """The hashed bucket of every n-gram of one text (repeats kept: they are the counts)."""
    crc = zlib.crc32
    return [crc(g.encode("utf-8")) & _MASK for g in _grams(text)]


def hashed_counts(texts: list[str]) -> sp.csr_matrix:
    """Raw n-gram counts, one row per text, 2**HASH_BITS columns."""
    rows, cols = [], []
    for i, text in enumerate(texts):
        ids = gram_ids(text)
        rows.extend([i] * len(ids))
        cols.extend(ids)
    data = np.ones(len(cols), dtype=np.float32)
    m = sp.csr_matrix((data, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
                      shape=(len(texts), 1 << HASH_BITS), dtype=np.float32)
    m.sum_duplicates()
    return m


def l2_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    """Scale every row of a sparse matrix to unit length (empty rows stay empty)."""
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.diags((1.0 / norms).astype(np.float32)) @ m


class NgramVocabulary:
    """The hashed buckets a model keeps, with their IDF, and the lookup from bucket to column."""

    def __init__(self, buckets: np.ndarray, idf: np.ndarray):
        self.buckets = np.asarray(buckets, dtype=np.int64)
        self.idf = np.asarray(idf, dtype=np.float32)
        self._column = np.full(1 << HASH_BITS, -1, dtype=np.int32)
        self._column[self.buckets] = np.arange(len(self.buckets), dtype=np.int32)

    @classmethod
    def fit(cls, counts: sp.csr_matrix, min_df: int = 2) -> NgramVocabulary:
        """Keep buckets present in at least min_df texts; smoothed IDF."""
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        buckets = np.flatnonzero(df >= min_df)
        n = counts.shape[0]
        idf = np.log((1.0 + n) / (1.0 + df[buckets])) + 1.0
        return cls(buckets, idf)

    def __len__(self) -> int:
        return len(self.buckets)

    def transform(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Sublinear TF x IDF over the kept buckets, rows L2-normalised."""
        counts = counts.tocoo()
        col = self._column[counts.col]
        keep = col >= 0
        data = (1.0 + np.log(counts.data[keep])) * self.idf[col[keep]]
        m = sp.csr_matrix((data.astype(np.float32), (counts.row[keep], col[keep])),
                          shape=(counts.shape[0], len(self.buckets)), dtype=np.float32)
        return l2_rows(m)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One text's TF-IDF row as (columns, values), L2-normalised: `transform` without scipy."""
        ids, counts = np.unique(np.asarray(gram_ids(text), dtype=np.int64), return_counts=True)
        col = self._column[ids]
        keep = col >= 0
        col = col[keep]
        data = ((1.0 + np.log(counts[keep].astype(np.float32))) * self.idf[col]).astype(np.float32)
        norm = float(np.sqrt(np.dot(data, data)))
        return col, (data / norm if norm else data)


@lru_cache(maxsize=1)
def _wordllama():
    """The WordLlama model shipped inside the installed package (no download, ever)."""
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError as exc:  # pragma: no cover - wordllama is a dependency
        raise EventcoderError("the event-type model needs the 'wordllama' package") from exc
    try:
        return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    except (FileNotFoundError, ValueError) as exc:
        raise EventcoderError(f"cannot load the WordLlama embeddings offline: {exc}") from exc


def embed(texts: list[str]) -> np.ndarray:
    """Average-pooled, L2-normalised WordLlama embeddings (n x 256, float32)."""
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    return np.asarray(_wordllama().embed(list(texts), norm=True), dtype=np.float32)
