"""Type a short snippet: which ACLED sub-event type it reports, or none."""
from __future__ import annotations

from dataclasses import dataclass

from eventcoder.extract.mentions import extract_mentions
from eventcoder.extract.refine import event_type_of, refine_type
from eventcoder.resolve.actors import ActorDictionary
from eventcoder.resolve.events import target_is_place
from eventcoder.vocab import Article, Mention

_REPORTED = {"asserted"}


@dataclass
class Typing:
    """The type decision for one snippet; both types None when no ACLED event is reported."""

    event_type: str | None
    sub_event_type: str | None
    score: float


def classify_text(text: str, actors: ActorDictionary, nlp=None, lexicon=None) -> Typing:
    """Type a snippet with the same rules `extract` uses for each event."""
    mentions = [m for m in extract_mentions(Article(id="snippet", text=text), nlp, lexicon)
                if m.modality in _REPORTED]
    if not mentions:
        return Typing(None, None, 0.0)
    best = max(mentions, key=lambda m: (m.score, -m.trigger.start))
    sub = _refined(best, actors)
    if sub is None:
        return Typing(None, None, 0.0)
    return Typing(event_type_of(sub, best.event_type) if sub != best.sub_event_type else best.event_type,
                  sub, round(min(1.0, 0.4 + 0.15 * best.score), 3))


def _refined(m: Mention, actors: ActorDictionary) -> str | None:
    """Apply the actor-dependent rules to a mention's type."""
    a1 = actors.resolve(m.agent.text, None) if m.agent else None
    a2 = actors.resolve(m.target.text, None) if m.target else None
    if a1 is None or a2 is None:
        found = actors.find_all(m.sentence.text, None)
        before = [a for a in found if (a.start or 0) + m.sentence.start < m.trigger.start]
        after = [a for a in found if (a.start or 0) + m.sentence.start >= m.trigger.start]
        a1 = a1 or (before[0] if before else None)
        a2 = a2 or (after[0] if after else None)
    return refine_type(m.sub_event_type, a1, a2, m.target.text if m.target else None, target_is_place(m))
