"""The exact prefilter (eventcoder.scale.prefilter) loses no events and skips most ordinary news."""
from __future__ import annotations

import sys

import pytest

from eventcoder.extract.lexicon import load_lexicon
from eventcoder.extract.mentions import candidate_sentences
from eventcoder.export.rows import event_to_row
from eventcoder.ingest import article_from_record
from eventcoder.nlp import load_nlp, split_sentences
from eventcoder.samples import sample_records
from eventcoder.scale import prefilter as prefilter_module
from eventcoder.scale.prefilter import TriggerPrefilter, build_prefilter, prefilter_for

from conftest import ROOT, SAMPLES

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import conflict_corpus, mixed_corpus  # noqa: E402


@pytest.fixture(scope="module")
def keep():
    return prefilter_for(load_lexicon(), load_nlp())


def _rows(records, monkeypatch=None, keep_all=False):
    """Event rows (timestamp dropped) of records, coded in one process, with or without the prefilter."""
    from eventcoder.pipeline import Coder

    if keep_all:
        monkeypatch.setattr(prefilter_module, "prefilter_for", lambda lexicon, nlp: (lambda text: True))
    articles = [article_from_record(r, str(r["id"])) for r in records]
    rows = []
    for article, events in Coder().code(articles):
        for e in events:
            row = event_to_row(e)
            row.pop("timestamp")
            rows.append(row)
    if keep_all:
        monkeypatch.undo()
    return rows


def test_exact_prefilter_is_built_from_the_model(keep):
    assert isinstance(keep, TriggerPrefilter)


@pytest.mark.parametrize("sentence", [
    "A drone struck a car carrying two commanders.",  # struck -> strike (lemmatizer exception)
    "Gunmen shot dead two farmers.",  # shot -> shoot
    "Three aid workers went missing on the road.",  # went -> go
    "Militants retook the town overnight.",
    "Insurgents were seizing weapons from the depot.",
    "The rebels fought government troops.",
    "Police fired tear gas at the crowd.",
    "Soldiers opened fire on the protesters.",
    "An improvised explosive device killed a soldier.",
    "Armed men abducted 12 villagers.",
])
def test_prefilter_keeps_irregular_and_inflected_triggers(keep, sentence):
    assert keep(sentence)


@pytest.mark.parametrize("sentence", [
    "The central bank kept interest rates unchanged on Tuesday.",
    "The governor opened a new office for mobile phone services.",  # go-, open, new, mob- prefixes
    "Officials said the airport would reopen after the holiday.",
    "Shares in the state telecoms firm rose three percent.",
])
def test_prefilter_skips_ordinary_sentences(keep, sentence):
    assert not keep(sentence)


def test_unknown_lemma_source_falls_back_to_the_regex_prefilter():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("trainable_lemmatizer")
    lexicon = load_lexicon()
    assert build_prefilter(lexicon, nlp) == lexicon.could_hold_event


def test_prefilter_loses_no_events_on_the_gold_reports(gazetteer_path, monkeypatch):
    """samples/gold.jsonl's reports: the same events with and without the prefilter."""
    records = list(sample_records(SAMPLES))
    with_filter = _rows(records)
    without = _rows(records, monkeypatch, keep_all=True)
    assert with_filter and with_filter == without


def test_prefilter_loses_no_events_on_generated_conflict_news(gazetteer_path, monkeypatch):
    records = conflict_corpus(40, seed=3)
    with_filter = _rows(records)
    without = _rows(records, monkeypatch, keep_all=True)
    assert len(with_filter) >= 20 and with_filter == without


def test_prefilter_skips_most_ordinary_news(keep):
    """On the generated mix, >90% of non-conflict sentences are not parsed (the regex passed half)."""
    lexicon = load_lexicon()
    total = kept = regex = 0
    for rec in mixed_corpus(200):
        if rec["kind"] != "other":
            continue
        article = article_from_record(rec, rec["id"])
        total += len(split_sentences(article.text))
        kept += len(candidate_sentences(article, lexicon, keep))
        regex += len(candidate_sentences(article, lexicon))
    assert total > 1000
    assert kept < 0.1 * total < regex
