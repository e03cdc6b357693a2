"""Writing to the store: articles' coded events -> reports, dedup against stored events, merged events.

Everything here runs inside the caller's write transaction (SQLite
``BEGIN IMMEDIATE`` / a PostgreSQL advisory lock), so dedup sees every
committed report and two loaders never interleave.

Tables written:

- ``reports``: each event as coded from one article (its own id, the
  article, arrival order ``seq``, the row as JSON) and the event it belongs to;
- ``events`` / ``event_sources`` / ``evidence``: the merged event of every
  group of reports (``dedup.merge_reports``), rewritten only when its
  content changes, with a new ``timestamp`` (strictly later than the old);
- ``merges``: every dedup decision with its reason;
- ``deleted``: events that lost all their reports (merged into another
  event, or no longer coded), with the time and the reason.

A ``BatchWriter`` keeps a batch's new reports in memory (dedup sees them
as if stored) and writes everything with a few multi-row statements
(``store.flush``): that is what makes thousands of events per second
possible. What it reads of the store for dedup is a
``store.stored.StoredView``, which the next batch of the same ``Store``
reuses while no other writer has written.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from eventcoder.dedup import match_recoded
from eventcoder.dedup.rules import as_date, early_reason, family, match_members, member_profile
from eventcoder.errors import StoreError
from eventcoder.export.rows import event_to_row
from eventcoder.store import flush as flush_module
from eventcoder.store import schema
from eventcoder.store.flush import Batch, SaveResult
from eventcoder.store.stored import StoredView, advance_generation, chunks, generation, load_row
from eventcoder.vocab import Article, Event

# Rejected candidates named in a "new event" decision.
_MAX_REJECTS = 3

_r, _m = schema.reports.c, schema.merges.c
# Statements built once: SQLAlchemy then reuses their compiled form.
_ARTICLE_TEXTS = sa.select(schema.articles.c.id, schema.articles.c.text).where(
    schema.articles.c.id.in_(sa.bindparam("ids", expanding=True)))
_OLD_REPORTS = (sa.select(_r.report_id, _r.event_id_cnty, _r.seq, _r.row, _r.published)
                .where(_r.article_id == sa.bindparam("aid")).order_by(_r.seq))
_MAX_SEQ = sa.select(sa.func.max(_r.seq))
_DELETE_ARTICLE_REPORTS = sa.delete(schema.reports).where(_r.article_id == sa.bindparam("aid"))
_LAST_REASON = (sa.select(_m.reason).where(_m.report_id == sa.bindparam("rid"))
                .order_by(_m.id.desc()).limit(1))


def _make_event_id(*args: Any) -> str:
    """``export.rows.make_event_id`` looked up at call time (tests replace it to force collisions)."""
    from eventcoder.store import store as store_module

    return store_module.make_event_id(*args)


@dataclass
class _Old:
    report_id: str
    event_id_cnty: str
    seq: int
    row: dict[str, Any]


class BatchWriter:
    """Saves articles with their coded events inside one open write transaction.

    ``view``: what an earlier batch of the same store read for dedup; used when no other writer has written
    since (the store's write generation is still the view's), else read afresh. After ``flush``,
    ``self.view`` is the view to hand to the next batch once this transaction has committed.
    """

    def __init__(self, conn: sa.Connection, now: dt.datetime, *, recode: bool = False,
                 defer_summaries: bool = False, view: StoredView | None = None):
        self.conn = conn
        self.now = now
        self.stamp = int(now.timestamp())
        self.recode = recode
        # True: log the summary changes (store.pending) for a later refresh instead of applying them.
        self.defer_summaries = defer_summaries
        current = generation(conn)
        fresh = view is None or view.generation != current or view.too_large()
        self.view = StoredView(current) if fresh else view
        self._reset()
        self._next_seq = (conn.execute(_MAX_SEQ).scalar() or 0) + 1
        self.result = SaveResult()

    def _reset(self) -> None:
        self.batch = Batch()
        self.pending_keys: dict[tuple[str, int], set[str]] = {}  # (family, day) -> events with pending reports
        self.seen_articles: set[str] = set()
        self.taken_ids: set[str] = set()
        self.texts: dict[str, str | None] = {}
        # Coded rows of the batch's articles, computed by ``prepare`` for its reads and used by ``add``.
        self.prepared: dict[int, tuple[Article, Sequence[Event], list[tuple[dict[str, Any], str | None]]]] = {}

    # -- adding articles -----------------------------------------------------------

    def prefetch(self, articles: Sequence[Article]) -> None:
        """Look up which of these articles are stored (one query per chunk instead of one each)."""
        for chunk in chunks([a.id for a in articles if a.id not in self.texts]):
            found = dict(self.conn.execute(_ARTICLE_TEXTS, {"ids": chunk}).all())
            for aid in chunk:
                self.texts[aid] = found.get(aid)

    def prepare(self, items: Sequence[tuple[Article, Sequence[Event]]]) -> None:
        """Read what a batch's dedup needs with a few queries, instead of several per event.

        Only a cache: ``add`` gives the same result without it (it then reads as it goes).
        """
        self.prefetch([article for article, _ in items])
        ids: set[str] = set()
        keys: set[tuple[str, int]] = set()
        for article, events in items:
            stored_text = self.texts.get(article.id)
            if stored_text is not None and stored_text == article.text and not self.recode:
                continue
            try:
                rows = self._rows(article, events)
            except Exception:  # noqa: BLE001 - add() computes them again and fails in its turn
                continue
            self.prepared[id(article)] = (article, events, rows)
            for row, _ in rows:
                ids.add(row["event_id_cnty"])
                day = as_date(row["event_date"])
                if day is not None:
                    keys.add((family(row), day.toordinal()))
        view = self.view
        view.lookup_ids(self.conn, sorted(i for i in ids if i not in view.report_ids or i not in view.event_ids
                                          or i not in view.clusters))
        view.read_windows(self.conn, keys)

    def add(self, article: Article, events: Sequence[Event]) -> bool:
        """Dedup an article's events against the store and the batch; False when it is stored already."""
        if article.id in self.seen_articles:
            self.flush()
        if article.id not in self.texts:
            self.prefetch([article])
        stored_text = self.texts[article.id]
        if stored_text is not None and stored_text == article.text and not self.recode:
            return False
        self.seen_articles.add(article.id)
        self.texts[article.id] = article.text
        if stored_text is None or stored_text != article.text:
            self.batch.articles.append((article, stored_text is not None))
        explicit = [e.event_id_cnty for e in events if e.event_id_cnty]
        if len(explicit) != len(set(explicit)):
            dup = next(i for i in explicit if explicit.count(i) > 1)
            raise StoreError(f"article {article.id} has two events with event_id_cnty {dup}; "
                             "merge them (dedup) before saving")
        old: list[_Old] = []
        if stored_text is not None:
            old = [_Old(x.report_id, x.event_id_cnty, x.seq, load_row(x.row, x.published))
                   for x in self.conn.execute(_OLD_REPORTS, {"aid": article.id})]
        hit = self.prepared.pop(id(article), None)
        if hit is not None and hit[0] is article and hit[1] is events:
            rows = hit[2]
        else:
            rows = self._rows(article, events)
        matches = match_recoded([o.row for o in old], [row for row, _ in rows])
        if old:
            self.conn.execute(_DELETE_ARTICLE_REPORTS, {"aid": article.id})
            self.view.forget((o.report_id, o.event_id_cnty) for o in old)
        old_clusters = {o.event_id_cnty for o in old}
        self.batch.affected |= old_clusters
        why = (f"report {article.id} re-coded: it no longer codes this event" if self.recode
               else f"report {article.id} changed: it no longer codes this event")
        for cluster in old_clusters:
            self.batch.why_gone.setdefault(cluster, why)
        ids = self._report_ids(rows, matches, old, old_clusters)
        mine: set[str] = set()
        for (row, given_id), m, report_id in zip(rows, matches, ids):
            prev = old[m] if m is not None else None
            seq = prev.seq if prev is not None else self._take_seq()
            row["event_id_cnty"] = report_id
            if given_id:
                cluster, action, reason = given_id, "explicit", "event_id_cnty given with the coded event"
            else:
                cluster, action, reason = self._place(row, report_id, prefer=prev.event_id_cnty if prev else None,
                                                      exclude=mine)
            self._add_report(article, row, report_id, cluster, seq)
            if prev is None or prev.event_id_cnty != cluster or not self.recode:
                self._decide(cluster, report_id, article.id, action, reason)
            elif self.conn.execute(_LAST_REASON, {"rid": report_id}).scalar() != reason:
                self._decide(cluster, report_id, article.id, "recode", reason)
            if prev is not None and prev.event_id_cnty != cluster:
                self.batch.moved.setdefault(prev.event_id_cnty, set()).add(cluster)
            mine.add(cluster)
            self.batch.affected.add(cluster)
        return True

    def _take_seq(self) -> int:
        seq = self._next_seq
        self._next_seq += 1
        return seq

    @staticmethod
    def _rows(article: Article, events: Sequence[Event]) -> list[tuple[dict[str, Any], str | None]]:
        """Report rows of an article's events, with the id each was given (if any)."""
        published = article.published.isoformat() if article.published else None
        rows = []
        for ev in events:
            row = event_to_row(ev, article_id=article.id)
            row["published"] = published
            if ev.article_ids:
                row["article_ids"] = list(ev.article_ids)
            row["_salience"], row["_score"] = ev.salience, ev.score
            rows.append((row, ev.event_id_cnty or None))
        return rows

    def _report_ids(self, rows: list[tuple[dict[str, Any], str | None]], matches: list[int | None],
                    old: list[_Old], reusable: set[str]) -> list[str]:
        """An id per new report: the old report's when it goes on, else its hashed id stepped past ids in use."""
        wanted = [row["event_id_cnty"] for (row, _), m in zip(rows, matches) if m is None]
        self.view.lookup_ids(self.conn, sorted({i for i in wanted if i not in self.view.report_ids
                                                or i not in self.view.event_ids}))
        in_use = {i for i in wanted if self.view.report_ids[i]}
        in_use.update(i for i in wanted
                      if self.view.event_ids[i] and (i not in reusable or self._has_reports(i)))
        out = []
        for (row, _), m in zip(rows, matches):
            if m is not None:
                report_id = old[m].report_id
            else:
                report_id = row["event_id_cnty"]
                attempt = 0
                while report_id in self.taken_ids or report_id in in_use or (
                        attempt and self._id_in_use(report_id, reusable)):
                    attempt += 1
                    report_id = _make_event_id(row["event_id_cnty"][:-8], row["article_id"], row["sub_event_type"],
                                               row["event_date"], row["location"], attempt)
            self.taken_ids.add(report_id)
            out.append(report_id)
        return out

    def _has_reports(self, event_id: str) -> bool:
        """Whether any report (stored or pending) belongs to this event."""
        return bool(self.batch.pending.get(event_id)) or self.view.has_reports(self.conn, event_id)

    def _id_in_use(self, event_id: str, reusable: set[str]) -> bool:
        if event_id in reusable:
            return self._has_reports(event_id)
        view = self.view
        if event_id not in view.report_ids or event_id not in view.event_ids:
            view.lookup_ids(self.conn, [event_id])
        return view.report_ids[event_id] or view.event_ids[event_id] or bool(self.batch.pending.get(event_id))

    def _members(self, event_id: str) -> list[dict[str, Any]]:
        """The rows of an event's reports (stored and pending), oldest first."""
        self.view.read_members(self.conn, [event_id])
        found = [(s.seq, s.row()) for s in self.view.members[event_id]] + self.batch.pending.get(event_id, [])
        found.sort(key=lambda p: p[0])
        return [row for _, row in found]

    def _profile(self, event_id: str) -> tuple[frozenset[Any], tuple[Any, ...]] | None:
        """``member_profile`` of an event's reports (stored and pending, oldest first); None when it has none."""
        profiles = self.view.profiles
        if event_id in profiles:
            return profiles[event_id]
        found = [(s.seq, s.article_id, s.country) for s in self.view.members[event_id]]
        found.extend((seq, row.get("article_id"), row.get("country"))
                     for seq, row in self.batch.pending.get(event_id, ()))
        found.sort(key=lambda p: p[0])
        profile = profiles[event_id] = member_profile((a, c) for _, a, c in found) if found else None
        return profile

    def _place(self, row: dict[str, Any], report_id: str, *, prefer: str | None,
               exclude: set[str]) -> tuple[str, str, str]:
        """The event a report belongs to: (event id, action, reason); a new event when none matches."""
        day = as_date(row["event_date"])
        decisions: list[tuple[float, int, str, str]] = []
        rejects: list[str] = []
        if day is not None:
            fam = family(row)
            firsts = self.view.window(self.conn, fam, day)
            for offset in (-1, 0, 1):
                for event_id in self.pending_keys.get((fam, day.toordinal() + offset), ()):
                    seq = self.batch.pending[event_id][0][0] if self.batch.pending.get(event_id) else 0
                    firsts[event_id] = min(firsts.get(event_id, seq), seq)
            candidates = [c for c in firsts if c not in exclude]
            if candidates:
                self.view.read_members(self.conn, candidates)
                article, country = row.get("article_id"), row.get("country")
                profiles = self.view.profiles
                for event_id in candidates:
                    profile = profiles[event_id] if event_id in profiles else self._profile(event_id)
                    if profile is None:
                        continue
                    # match_event's own first step, without decoding the candidate's rows
                    early = early_reason(article, country, profile)
                    if early is not None:
                        rejects.append(f"not {event_id}: {early}")
                        continue
                    decision = match_members(row, self._members(event_id))
                    if decision.same:
                        decisions.append((decision.score, firsts[event_id], event_id, decision.reason))
                    else:
                        rejects.append(f"not {event_id}: {decision.reason}")
        if decisions:
            kept = [d for d in decisions if d[2] == prefer]
            if kept and prefer is not None:
                return prefer, "merge", f"re-coded report stays in {prefer}: {kept[0][3]}"
            _score, _first, event_id, reason = max(decisions, key=lambda d: (d[0], -d[1]))
            return event_id, "merge", f"same event as {event_id}: {reason}"
        if prefer is not None and prefer not in exclude and not self._has_reports(prefer):
            event_id = prefer
        else:
            event_id = report_id
            attempt = 0
            while event_id in exclude or self._has_reports(event_id):
                attempt += 1
                event_id = _make_event_id(report_id[:-8], row["article_id"], row["sub_event_type"],
                                          row["event_date"], row["location"], attempt)
        reason = "first report of this event"
        if rejects:
            more = f"; {len(rejects) - _MAX_REJECTS} more" if len(rejects) > _MAX_REJECTS else ""
            reason += " (" + "; ".join(sorted(rejects)[:_MAX_REJECTS]) + more + ")"
        return event_id, "new", reason

    def _add_report(self, article: Article, row: dict[str, Any], report_id: str, cluster: str, seq: int) -> None:
        day = as_date(row["event_date"])
        fam = family(row)
        report = dict(
            report_id=report_id, event_id_cnty=cluster, article_id=article.id, seq=seq,
            published=article.published, event_date=day, country=row["country"] or None, family=fam,
            row=json.dumps({k: v for k, v in row.items() if k != "published"}), coded_at=self.stamp)
        batch = self.batch
        batch.reports.append(report)
        batch.rows.append(row)
        batch.pending_reports.setdefault(cluster, []).append(report)
        batch.pending.setdefault(cluster, []).append((seq, row))
        self.view.profiles.pop(cluster, None)
        if day is not None:
            self.pending_keys.setdefault((fam, day.toordinal()), set()).add(cluster)

    def _decide(self, event_id: str, report_id: str, article_id: str, action: str, reason: str) -> None:
        self.batch.decisions.append(dict(event_id_cnty=event_id, report_id=report_id, article_id=article_id,
                                         action=action, reason=reason, decided_at=self.stamp))

    # -- writing -------------------------------------------------------------------

    def flush(self) -> SaveResult:
        """Write the batch (``store.flush``) and count the write in the store's write generation."""
        flush_module.flush(self.conn, self.batch, self.view, now=self.now, defer_summaries=self.defer_summaries,
                           result=self.result)
        self.view.generation = advance_generation(self.conn)
        self._reset()
        return self.result
