"""The data flow in one place: articles -> mentions -> coded events (pure, no I/O)."""
from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from eventcoder.extract.lexicon import Lexicon, load_lexicon
from eventcoder.extract.mentions import extract_mentions_batch
from eventcoder.nlp import load_nlp
from eventcoder.resolve.actors import ActorDictionary, load_actors
from eventcoder.resolve.gazetteer import Gazetteer
from eventcoder.vocab import Article, Event


@dataclass
class Coder:
    """Everything the pipeline loads once per process: model, lexicon, actors, gazetteer."""

    actor_files: Sequence[Path] = ()
    taxonomy: str | None = None
    gazetteer_path: Path | None = None
    model_path: Path | None = None
    use_model: bool = True
    _loaded: dict = field(default_factory=dict, repr=False)

    @property
    def lexicon(self) -> Lexicon:
        return load_lexicon(self.taxonomy)

    @property
    def actors(self) -> ActorDictionary:
        if "actors" not in self._loaded:
            self._loaded["actors"] = load_actors(tuple(Path(p) for p in self.actor_files))
        return self._loaded["actors"]

    @property
    def gazetteer(self) -> Gazetteer:
        if "gazetteer" not in self._loaded:
            self._loaded["gazetteer"] = Gazetteer.open(self.gazetteer_path)
        return self._loaded["gazetteer"]

    @property
    def type_model(self):
        """The statistical event-type model (None when `use_model` is False)."""
        if not self.use_model:
            return None
        if "model" not in self._loaded:
            from eventcoder.extract.model import load_type_model

            self._loaded["model"] = load_type_model(self.model_path)
        return self._loaded["model"]

    def code(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
        """Code a stream of articles; yields each article with its events, in order."""
        from eventcoder.resolve.events import build_events

        nlp = load_nlp()
        stamp = int(time.time())
        for chunk in _chunks(articles, 64):
            for article, mentions in zip(chunk, extract_mentions_batch(chunk, nlp, self.lexicon, self.gazetteer)):
                events = build_events(article, mentions, self.actors, self.gazetteer, self.type_model)
                for ev in events:
                    ev.timestamp = stamp
                yield article, events

    def code_one(self, article: Article) -> list[Event]:
        """Events of a single article."""
        return next(self.code([article]))[1]


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Fixed-size lists from a stream, so memory stays flat however long the stream."""
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
