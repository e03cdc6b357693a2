"""extract stage: event mentions (trigger + arguments + modality) from an article."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from eventcoder.extract.arguments import agent_target, place_spans
from eventcoder.extract.choose import choose_types
from eventcoder.extract.lexicon import Lexicon, load_lexicon
from eventcoder.extract.modality import modality
from eventcoder.extract.numbers import sentence_fatalities
from eventcoder.extract.triggers import find_triggers, has_non_event_cue
from eventcoder.nlp import load_nlp, split_sentences
from eventcoder.resolve.dates import find_time_phrases
from eventcoder.vocab import Article, Mention, Span


def candidate_sentences(article: Article, lexicon: Lexicon) -> list[tuple[int, Span]]:
    """Sentences (with their index) that the lexical prefilter lets through to the parser."""
    sents = split_sentences(article.text)
    return [(i, s) for i, s in enumerate(sents) if lexicon.could_hold_event(s.text)]


def extract_mentions(article: Article, nlp: Language | None = None,
                     lexicon: Lexicon | None = None) -> list[Mention]:
    """All event mentions of one article, in text order."""
    return next(iter(extract_mentions_batch([article], nlp, lexicon)))


def extract_mentions_batch(articles: Iterable[Article], nlp: Language | None = None,
                           lexicon: Lexicon | None = None, batch_size: int = 64) -> Iterator[list[Mention]]:
    """Mentions for many articles, parsing all their candidate sentences in one nlp.pipe stream."""
    nlp = nlp or load_nlp()
    lexicon = lexicon or load_lexicon()
    for article in articles:
        cands = candidate_sentences(article, lexicon)
        docs = nlp.pipe((s.text for _, s in cands), batch_size=batch_size)
        mentions: list[Mention] = []
        for (index, sent), doc in zip(cands, docs):
            mentions.extend(_sentence_mentions(article, index, sent, doc, lexicon))
        yield mentions


def _sentence_mentions(article: Article, index: int, sent: Span, doc: Doc,
                       lexicon: Lexicon) -> list[Mention]:
    """The mentions one parsed sentence holds."""
    out: list[Mention] = []
    for s in doc.sents if len(list(doc.sents)) == 1 else [doc[:]]:
        matches = find_triggers(s, lexicon)
        if not matches:
            continue
        if has_non_event_cue(s, lexicon) and max(m.trigger.weight for m in matches) < 3:
            continue
        for sub, match in choose_types(matches):
            out.append(_mention(article, index, sent, doc, sub, match, lexicon))
    return out


def _mention(article: Article, index: int, sent: Span, doc: Doc, sub: str, match,
             lexicon: Lexicon) -> Mention:
    """Build one Mention with its arguments, time, casualties and modality."""
    off = sent.start
    head = match.head
    agent, target = agent_target(head, off)
    count = sentence_fatalities(sent.text)
    fat_span = None if count is None else Span(count.text, count.start + off, count.end + off)
    return Mention(
        article_id=article.id, sentence_index=index, sentence=sent,
        trigger=Span(sent.text[match.start_char:match.end_char], match.start_char + off, match.end_char + off),
        event_type=lexicon.event_type_of[sub], sub_event_type=sub, score=float(match.trigger.weight),
        agent=agent, target=target, places=place_spans(doc[:], head, off),
        time=_time_span(sent, match.start_char), fatalities=None if count is None else count.value,
        fatalities_span=fat_span, modality=modality(head, doc[:]),
    )


def _time_span(sent: Span, trigger_at: int) -> Span | None:
    """The time phrase nearest the trigger, ignoring 'since ...' comparisons."""
    phrases = [p for p in find_time_phrases(sent.text) if not p[2].lower().startswith("since")]
    if not phrases:
        return None
    s, e, words = min(phrases, key=lambda p: abs(p[0] - trigger_at))
    return Span(words, s + sent.start, e + sent.start)
