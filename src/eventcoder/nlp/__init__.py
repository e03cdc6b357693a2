"""nlp stage: one spaCy pass over the sentences a cheap prefilter lets through."""
from eventcoder.nlp.model import load_nlp
from eventcoder.nlp.sentences import split_sentences

__all__ = ["load_nlp", "split_sentences"]
