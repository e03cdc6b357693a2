"""Evidence: the sentence and character span behind every coded field."""
from __future__ import annotations

from eventcoder.resolve.dates import ResolvedDate
from eventcoder.vocab import Event, Evidence, Mention, Span


def _ev(field: str, span: Span, sentence: Span) -> Evidence:
    """An Evidence record for a span inside a sentence."""
    return Evidence(field=field, text=span.text, start=span.start, end=span.end,
                    sentence=sentence.text, sentence_start=sentence.start, sentence_end=sentence.end)


def _inside(span: Span, sentence: Span) -> bool:
    """True when the span lies within the sentence."""
    return sentence.start <= span.start and span.end <= sentence.end


def evidence_for(m: Mention, ev: Event, date: ResolvedDate | None) -> list[Evidence]:
    """Evidence of each field coded from one mention: trigger, actors, place, date, toll."""
    s = m.sentence
    out = [_ev("sub_event_type", m.trigger, s), _ev("mention", s, s)]
    for field, actor in (("actor1", ev.actor1), ("actor2", ev.actor2)):
        if actor is not None and actor.start is not None and actor.end is not None:
            span = Span(actor.mention or "", actor.start, actor.end)
            if _inside(span, s):
                out.append(_ev(field, span, s))
    place = ev.place
    if place is not None and place.start is not None and place.end is not None:
        span = Span(place.text or place.name, place.start, place.end)
        scene = m.scene if m.scene is not None and _inside(span, m.scene) else span
        out.append(_ev("location", span, s if _inside(span, s) else scene))
    if m.time is not None and date is not None and date.text == m.time.text:
        out.append(_ev("event_date", m.time, s if _inside(m.time, s) else m.scene or m.time))
    if m.fatalities_span is not None:
        out.append(_ev("fatalities", m.fatalities_span, s))
    return out
