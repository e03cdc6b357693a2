"""extract stage: event mentions (trigger + arguments + modality) from an article."""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from eventcoder.extract.arguments import agent_target, place_spans
from eventcoder.extract.choose import choose_types
from eventcoder.extract.lexicon import Lexicon, load_lexicon
from eventcoder.extract.modality import modality
from eventcoder.extract.numbers import sentence_fatalities
from eventcoder.extract.triggers import find_triggers, has_non_event_cue
from eventcoder.nlp import load_nlp, split_sentences
from eventcoder.resolve.dates import find_time_phrases, is_historical, is_speech_date, resolve_date
from eventcoder.vocab import Article, Mention, Span


def candidate_sentences(article: Article, lexicon: Lexicon,
                        keep: Callable[[str], bool] | None = None) -> list[tuple[int, Span]]:
    """Sentences (with their index) that the lexical prefilter lets through to the parser.

    The dateline ("KIRKUK (Tigris Wire) –") is cut off the first sentence: it is
    not part of the sentence's grammar and would be parsed as its subject.
    `keep` is the sentence test (default: the lexicon's regex prefilter).
    """
    keep = keep or lexicon.could_hold_event
    sents = split_sentences(article.text)
    out = []
    for i, s in enumerate(sents):
        if s.end <= article.body_start:
            continue  # header lines above the dateline: the headline again, an editor's note
        if s.start < article.body_start < s.end:
            body = article.text[article.body_start:s.end]
            lead = len(body) - len(body.lstrip())
            s = Span(body.lstrip(), article.body_start + lead, s.end)
        if keep(s.text):
            out.append((i, s))
    return out


def extract_mentions(article: Article, nlp: Language | None = None,
                     lexicon: Lexicon | None = None, gazetteer=None) -> list[Mention]:
    """All event mentions of one article, in text order."""
    return next(iter(extract_mentions_batch([article], nlp, lexicon, gazetteer)))


def extract_mentions_batch(articles: Iterable[Article], nlp: Language | None = None,
                           lexicon: Lexicon | None = None, gazetteer=None,
                           batch_size: int = 64) -> Iterator[list[Mention]]:
    """Mentions for many articles, parsing all their candidate sentences in one nlp.pipe stream.

    Articles are taken `batch_size` at a time and the candidate sentences of
    the whole group go through one `nlp.pipe` call, so short articles still
    fill the parser's batches. The prefilter is the exact one of
    `eventcoder.scale.prefilter` (no sentence that could match a trigger is
    dropped).
    """
    from eventcoder.scale.prefilter import prefilter_for

    nlp = nlp or load_nlp()
    lexicon = lexicon or load_lexicon()
    keep = prefilter_for(lexicon, nlp)
    it = iter(articles)
    while group := list(itertools.islice(it, batch_size)):
        cands = [candidate_sentences(article, lexicon, keep) for article in group]
        docs = nlp.pipe((s.text for cs in cands for _, s in cs), batch_size=batch_size)
        found: list[list[Mention]] = []
        for article, cs in zip(group, cands):
            mentions: list[Mention] = []
            for (index, sent), doc in zip(cs, docs):
                mentions.extend(_sentence_mentions(article, index, sent, doc, lexicon, gazetteer))
            found.append(mentions)
        _set_scenes(group, found, nlp, gazetteer, batch_size)
        yield from found


_AFTER_ATTACK = re.compile(r"\b(?:after|following|caused by|in)\s+(?:an?|the)\s+(?:\w+\s+){0,2}?(?:attack|strike|"
                           r"shelling|bombing|bombardment|raid)\s+(?:by|on|from)\b", re.I)
# "the bodies of four men with gunshot wounds were found": ACLED codes the killing the discovery reveals
_BODIES_FOUND = re.compile(r"\b(?:bod(?:y|ies)|corpses?)\b[^.;]{0,100}?\b(?:were|was|had been|have been)\s+(?:\w+\s+)?"
                           r"(?:found|discovered|dumped)\b[^.;]{0,120}?|\bbod(?:y|ies)\b[^.;]{0,60}?\b(?:gunshot|bullet|"
                           r"stab|machete|torture|bound|mutilat|beheaded|executed)", re.I)
# Military exercises and weapons tests fire at nobody; what harms someone during one is still an event.
_DRILL = re.compile(r"\b(?:(?:military|naval|joint|live-fire|air|army|combat|annual|missile|training)\s+"
                    r"(?:exercises?|drills?|manoeuvres|maneuvers)|(?:began|begin|begins|held|holds|conducted|staged|"
                    r"launched)\s+(?:\w+\s+){0,4}?(?:exercises|drills|manoeuvres|maneuvers)|war games|test-fir\w+|"
                    r"test fir\w+|test launch\w*|missile tests?)\b", re.I)
_HARM = re.compile(r"\b(?:kill\w*|dead|died|wound\w*|injur\w*|hurt)\b", re.I)


def _sentence_mentions(article: Article, index: int, sent: Span, doc: Doc,
                       lexicon: Lexicon, gazetteer) -> list[Mention]:
    """The mentions one parsed sentence holds."""
    matches = [m for m in find_triggers(doc[:], lexicon) if not _dispersed_by_themselves(m.head)]
    if not matches:
        return []
    if has_non_event_cue(doc[:], lexicon) and max(m.trigger.weight for m in matches) < 3 \
            and not _AFTER_ATTACK.search(sent.text):
        return []  # (but "a fire broke out at the terminal after an overnight attack by drones" tells the attack)
    if _DRILL.search(sent.text) and not _HARM.search(sent.text):
        return []  # "naval exercises that would include the firing of anti-ship missiles": nobody was fired at
    # A negated or denied trigger ("nobody was arrested") must not re-type the sentence.
    matches = [m for m in matches if modality(m.head, doc[:]) not in ("negated", "denied", "referenced")] or matches
    places = _place_spans(doc, sent.start, gazetteer)
    out = []
    for sub, match in choose_types(matches):
        m = _mention(article, index, sent, doc, sub, match, lexicon, places)
        _borrow_arguments(m, matches, match, sent.start)
        out.append(m)
    return out


def _set_scenes(articles: list[Article], found: list[list[Mention]], nlp: Language, gazetteer,
                batch_size: int) -> None:
    """'On 24 October, insurgents entered Ocua, a village in Chiure district. They looted shops ...': a
    sentence that goes on with 'They ...' and says neither when nor where takes both from the sentence
    before it, when that one opens with its day and reports no event itself (it sets the scene)."""
    wanted = [(m, scene) for article, mentions in zip(articles, found)
              for m, scene in _scene_candidates(article, mentions)]
    published = {a.id: a.published for a in articles}
    docs = nlp.pipe((scene.text for _, scene in wanted), batch_size=batch_size) if gazetteer is not None \
        else (None for _ in wanted)  # without a gazetteer no place can be read off the scene
    for (m, scene), doc in zip(wanted, docs):
        time = _scene_time(scene, published[m.article_id])
        if time is None:
            continue
        m.scene, m.time = scene, time
        m.places = _place_spans(doc, scene.start, gazetteer) if doc is not None else []


# the subject carries on from the sentence before: "They looted ...", "The gunmen then ..."
_GOES_ON = re.compile(r"^(?:They|He|She|The\s+(?:\w+\s+)?(?:attackers|assailants|gunmen|group|militants|insurgents|"
                      r"fighters|men|raiders|bandits|jihadists|rebels|soldiers|troops|police|officers|protesters|"
                      r"demonstrators|crowd|rioters|mob))\b")


def _scene_candidates(article: Article, mentions: list[Mention]) -> Iterator[tuple[Mention, Span]]:
    """Mentions going on from the sentence before, with neither time nor places, and that sentence."""
    busy = {m.sentence_index for m in mentions}
    sents = None
    for m in mentions:
        if m.time is not None or m.places or m.sentence_index - 1 in busy or m.sentence_index == 0 \
                or not _GOES_ON.match(m.sentence.text):
            continue
        sents = sents or split_sentences(article.text)
        prev = sents[m.sentence_index - 1] if m.sentence_index < len(sents) else None
        if prev is None or prev.start < article.body_start or "\n" in article.text[prev.end:m.sentence.start]:
            continue
        yield m, prev


def _scene_time(scene: Span, published) -> Span | None:
    """The scene's opening day ('On 24 October, ...', 'Late on Sunday, ...'), when recent."""
    span = _time_span(scene, 0)
    if span is None or span.start - scene.start > 12:
        return None
    r = resolve_date(span.text, published)
    return span if r is not None and r.precision == 1 and not is_historical(r, published) else None


def _dispersed_by_themselves(head) -> bool:
    """'... handed a petition to officials before dispersing': a crowd that leaves is no intervention; only
    someone dispersing them ('police dispersed the crowd', 'they were dispersed with tear gas') is."""
    if head.lemma_.lower() != "disperse" or head.pos_ != "VERB":
        return False
    return not any(c.dep_ in ("dobj", "auxpass", "nsubjpass", "agent") for c in head.children)


def _borrow_arguments(m: Mention, matches: list, anchor, offset: int) -> None:
    """'Six people were killed when gunmen stormed a roadblock': take the agent from the other trigger."""
    if m.agent is not None:
        return
    for other in matches:
        if other is anchor or other.trigger.cue:
            continue
        agent, target = agent_target(other.head, offset, {t.i for t in other.tokens})
        if agent is not None:
            m.agent = agent
            m.target = m.target or target
            return


def _place_spans(doc: Doc, offset: int, gazetteer) -> list[Span] | None:
    """Place names of the sentence found with the gazetteer's help (None without a gazetteer)."""
    if gazetteer is None:
        return None
    from eventcoder.resolve.places import find_place_spans

    text = doc.text
    return [Span(text[s:e], s + offset, e + offset) for s, e in find_place_spans(doc, gazetteer)]


def _by_nearness(places: list[Span], trigger_at: int, doc_text: str, offset: int) -> list[Span]:
    """Places nearest the trigger first; a place right after a locative preposition is nearer."""
    def key(p: Span) -> int:
        before = doc_text[max(0, p.start - offset - 12):p.start - offset].lower()
        bonus = 40 if re.search(r"\b(?:in|near|at|outside|of|around|into|on)\s+(?:the\s+)?(?:\w+\s+)?$", before) else 0
        return abs(p.start - trigger_at) - bonus
    return sorted(places, key=key)


def _mention(article: Article, index: int, sent: Span, doc: Doc, sub: str, match,
             lexicon: Lexicon, places: list[Span] | None) -> Mention:
    """Build one Mention with its arguments, time, casualties and modality."""
    off = sent.start
    head = match.head
    agent, target = agent_target(head, off, {t.i for t in match.tokens})
    if places is None:
        places = place_spans(doc[:], head, off)
    else:
        places = _by_nearness(places, match.start_char + off, doc.text, off)
    count = sentence_fatalities(sent.text)
    fat_span = None if count is None else Span(count.text, count.start + off, count.end + off)
    return Mention(
        article_id=article.id, sentence_index=index, sentence=sent,
        trigger=Span(sent.text[match.start_char:match.end_char], match.start_char + off, match.end_char + off),
        event_type=lexicon.event_type_of[sub], sub_event_type=sub,
        score=max(_score(match), 2.0) if sub == "Attack" and _BODIES_FOUND.search(sent.text) else _score(match),
        agent=agent, target=target, places=places,
        time=_time_span(sent, match.start_char), fatalities=None if count is None else count.value,
        fatalities_span=fat_span, modality=modality(head, doc[:]),
    )


_GRIEVANCE_PURPOSE = re.compile(r"\bto (?:condemn|protest|demand|denounce|decry|call for|press for|oppose|reject|"
                                r"show solidarity|voice|express (?:anger|outrage|opposition))\b", re.I)
_IMPACT = {"hit", "strike", "slam", "crash", "smash", "explode", "target", "destroy", "damage", "pound", "land"}


def _score(match) -> float:
    """The trigger's weight; a weak weapon word that hits something ("a drone hit a warehouse") is a clear one."""
    head = match.head
    if match.trigger.weight == 1 and match.trigger.event_type == "Explosions/Remote violence" \
            and head.dep_ == "nsubj" and head.head.lemma_.lower() in _IMPACT:
        return 2.0
    if match.trigger.weight == 1 and match.trigger.sub_event_type == "Peaceful protest" \
            and _GRIEVANCE_PURPOSE.search(head.doc.text[head.idx:]):
        return 2.0  # "hundreds of residents gathered in Freedom Square to condemn the killing": a protest
    return float(match.trigger.weight)


_ATTRIBUTIVE = re.compile(r"\b(?:the|a|an|its|their|his|her)\s+$", re.I)
_NOUN_AFTER = re.compile(r"\s+[a-z][\w-]*")


def _time_span(sent: Span, trigger_at: int) -> Span | None:
    """The time phrase nearest the trigger, ignoring 'since ...' comparisons; 'said on Monday' only as a last resort."""
    phrases = [p for p in find_time_phrases(sent.text) if not p[2].lower().startswith("since")]
    own = [p for p in phrases if not is_speech_date(sent.text, p[0])]
    phrases = own or phrases
    # "relatives of those killed in the July 2024 uprising formed a human chain on Thursday": a date naming
    # another thing ("the July 2024 uprising") gives way to one that dates the sentence's event
    phrases = [p for p in phrases if not _ATTRIBUTIVE.search(sent.text[:p[0]])
               or not _NOUN_AFTER.match(sent.text, p[1])] or phrases
    if not phrases:
        return None
    s, e, words = min(phrases, key=lambda p: abs(p[0] - trigger_at))
    return Span(words, s + sent.start, e + sent.start)
