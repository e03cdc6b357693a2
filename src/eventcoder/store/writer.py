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
as if stored) and writes everything with a few multi-row statements in
``flush``: that is what makes thousands of events per second possible.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from eventcoder.dedup import match_recoded, merge_reports
from eventcoder.dedup.rules import as_date, early_reason, family, match_members, member_profile
from eventcoder.errors import StoreError
from eventcoder.export.rows import event_to_row
from eventcoder.store import aggregates, pending, schema
from eventcoder.store.bulk import insert_many
from eventcoder.store.migrations import fts_rowid
from eventcoder.vocab import ACLED_COLUMNS, Article, Event

_CHUNK = 500
# Rejected candidates named in a "new event" decision.
_MAX_REJECTS = 3
_EVIDENCE_COLUMNS = ("field", "text", "start", "end", "sentence", "sentence_start", "sentence_end", "article_id")

_r, _e, _m = schema.reports.c, schema.events.c, schema.merges.c
# Statements built once: SQLAlchemy then reuses their compiled form.
_ARTICLE_TEXTS = sa.select(schema.articles.c.id, schema.articles.c.text).where(
    schema.articles.c.id.in_(sa.bindparam("ids", expanding=True)))
_OLD_REPORTS = (sa.select(_r.report_id, _r.event_id_cnty, _r.seq, _r.row, _r.published)
                .where(_r.article_id == sa.bindparam("aid")).order_by(_r.seq))
_MAX_SEQ = sa.select(sa.func.max(_r.seq))
_WINDOW = (sa.select(_r.event_id_cnty, sa.func.min(_r.seq).label("first"))
           .where(_r.family == sa.bindparam("fam"), _r.event_date >= sa.bindparam("lo"),
                  _r.event_date <= sa.bindparam("hi"))
           .group_by(_r.event_id_cnty))
# The stored reports of one family on the days of a batch's dedup windows (one query per family and batch).
_WINDOWS = (sa.select(_r.report_id, _r.event_id_cnty, _r.seq, _r.event_date)
            .where(_r.family == sa.bindparam("fam"), _r.event_date.in_(sa.bindparam("days", expanding=True))))
_WINDOWS_BY_COUNT: dict[int, sa.Select] = {}


def _windows(count: int) -> sa.Select:
    """``_WINDOWS`` for several families at once: (family = :fam0 AND event_date IN :days0) OR ..."""
    stmt = _WINDOWS_BY_COUNT.get(count)
    if stmt is None:
        stmt = _WINDOWS_BY_COUNT[count] = (
            sa.select(_r.report_id, _r.event_id_cnty, _r.seq, _r.family, _r.event_date)
            .where(sa.or_(*[sa.and_(_r.family == sa.bindparam(f"fam{i}"),
                                    _r.event_date.in_(sa.bindparam(f"days{i}", expanding=True)))
                            for i in range(count)])))
    return stmt


_DELETE_ARTICLE_REPORTS = sa.delete(schema.reports).where(_r.article_id == sa.bindparam("aid"))
_UNDELETE = sa.delete(schema.deleted).where(schema.deleted.c.event_id_cnty.in_(sa.bindparam("ids", expanding=True)))
_DELETE_EVENT_ROWS = [sa.delete(t).where(t.c.event_id_cnty.in_(sa.bindparam("ids", expanding=True)))
                      for t in (schema.evidence, schema.event_sources, schema.events)]
_INSERT_DELETED = schema.deleted.insert()  # one row at a time; bulk rows go through store.bulk
_UPDATE_ARTICLE = sa.update(schema.articles).where(schema.articles.c.id == sa.bindparam("_id"))
_FTS_DELETE = sa.text("DELETE FROM articles_fts WHERE rowid = :r")
_FTS_INSERT = "INSERT INTO articles_fts(rowid, article_id, title, text) VALUES (?, ?, ?, ?)"  # SQLite only
_MEMBERS = (sa.select(_r.event_id_cnty, _r.seq, _r.row, _r.published)
            .where(_r.event_id_cnty.in_(sa.bindparam("ids", expanding=True))).order_by(_r.seq))
_MEMBERS_BY_DIALECT: dict[str, sa.Select] = {}


def _members_stmt(dialect: str) -> sa.Select:
    """``_MEMBERS`` plus each row's ``article_id`` and ``country`` read from its JSON by the database: dedup
    rejects most candidate events on these two alone (``rules.early_reason``), without decoding rows in Python."""
    stmt = _MEMBERS_BY_DIALECT.get(dialect)
    if stmt is None:
        if dialect == "sqlite":
            def field(key: str) -> sa.ColumnElement:
                return sa.func.json_extract(_r.row, f"$.{key}")
        else:  # PostgreSQL; the row is JSON text
            def field(key: str) -> sa.ColumnElement:
                return sa.func.json_extract_path_text(sa.cast(_r.row, sa.JSON), key)
        stmt = _MEMBERS_BY_DIALECT[dialect] = _MEMBERS.add_columns(
            field("article_id").label("row_article_id"), field("country").label("row_country"))
    return stmt
_REPORT_IDS_IN_USE = sa.select(_r.report_id).where(_r.report_id.in_(sa.bindparam("ids", expanding=True)))
_CLUSTERS_IN_USE = sa.select(_r.event_id_cnty).where(_r.event_id_cnty.in_(sa.bindparam("ids", expanding=True)))
_EVENT_IDS_IN_USE = sa.select(_e.event_id_cnty).where(_e.event_id_cnty.in_(sa.bindparam("ids", expanding=True)))
_STORED_EVENTS = (sa.select(*[_e[c] for c in ACLED_COLUMNS], _e.article_id)
                  .where(_e.event_id_cnty.in_(sa.bindparam("ids", expanding=True))))
_STORED_EVIDENCE = (sa.select(schema.evidence.c.event_id_cnty,
                              *[schema.evidence.c[k] for k in _EVIDENCE_COLUMNS])
                    .where(schema.evidence.c.event_id_cnty.in_(sa.bindparam("ids", expanding=True)))
                    .order_by(schema.evidence.c.id))
_STORED_SOURCES = (sa.select(schema.event_sources.c.event_id_cnty, schema.event_sources.c.article_id)
                   .where(schema.event_sources.c.event_id_cnty.in_(sa.bindparam("ids", expanding=True))))
_LAST_REASON = (sa.select(_m.reason).where(_m.report_id == sa.bindparam("rid"))
                .order_by(_m.id.desc()).limit(1))


def _make_event_id(*args: Any) -> str:
    """``export.rows.make_event_id`` looked up at call time (tests replace it to force collisions)."""
    from eventcoder.store import store as store_module

    return store_module.make_event_id(*args)


def _chunks(items: Sequence[Any]) -> list[list[Any]]:
    items = list(items)
    return [items[i:i + _CHUNK] for i in range(0, len(items), _CHUNK)]


@dataclass
class SaveResult:
    """What a save did: articles stored, events inserted or updated, events that left the dataset."""

    saved: list[bool] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


class _Stored:
    """A stored report of an event: its seq, its row's article_id and country, and its row, decoded on first use."""

    __slots__ = ("seq", "article_id", "country", "_raw", "_published", "_row")

    def __init__(self, seq: int, article_id: Any, country: Any, raw: str, published: dt.date | None):
        self.seq, self.article_id, self.country = seq, article_id, country
        self._raw, self._published, self._row = raw, published, None

    def row(self) -> dict[str, Any]:
        """The report's row (``_load_row``), decoded once."""
        if self._row is None:
            self._row = _load_row(self._raw, self._published)
        return self._row


@dataclass
class _Old:
    report_id: str
    event_id_cnty: str
    seq: int
    row: dict[str, Any]


def _load_row(row_json: str, published: dt.date | None) -> dict[str, Any]:
    """A report's row from its table row, with its publication date."""
    row = json.loads(row_json)
    row["published"] = published.isoformat() if published else None
    return row


class BatchWriter:
    """Saves articles with their coded events inside one open write transaction."""

    def __init__(self, conn: sa.Connection, now: dt.datetime, *, recode: bool = False,
                 defer_summaries: bool = False):
        self.conn = conn
        self.now = now
        self.stamp = int(now.timestamp())
        self.recode = recode
        # True: log the summary changes (store.pending) for a later refresh instead of applying them.
        self.defer_summaries = defer_summaries
        self.sqlite = conn.dialect.name == "sqlite"
        self._reset()
        self._next_seq = (conn.execute(_MAX_SEQ).scalar() or 0) + 1
        self.result = SaveResult()

    def _reset(self) -> None:
        self.articles: list[tuple[Article, bool]] = []  # (article, update)
        self.reports: list[dict[str, Any]] = []  # pending report table rows
        self.pending: dict[str, list[tuple[int, dict[str, Any]]]] = {}  # event -> pending (seq, row)
        self.pending_reports: dict[str, list[dict[str, Any]]] = {}  # event -> its pending report table rows
        self.pending_keys: dict[tuple[str, int], set[str]] = {}  # (family, day) -> events
        self.decisions: list[dict[str, Any]] = []
        self.affected: set[str] = set()
        self.moved: dict[str, set[str]] = {}
        self.why_gone: dict[str, str] = {}
        self.seen_articles: set[str] = set()
        self.taken_ids: set[str] = set()
        self.texts: dict[str, str | None] = {}
        # What the store holds, read for the whole batch at once (``prepare``) or on first use, and kept
        # until ``flush``: until then the only change to the store is deleting a changed article's old
        # reports, which ``_forget`` takes out of these again.
        self.prepared: dict[int, tuple[Article, Sequence[Event], list[tuple[dict[str, Any], str | None]]]] = {}
        self.report_ids_stored: dict[str, bool] = {}  # report id -> a stored report has it
        self.event_ids_stored: dict[str, bool] = {}  # event id -> a stored event has it
        self.clusters_stored: dict[str, bool] = {}  # event id -> stored reports belong to it
        self.stored_members: dict[str, list[_Stored]] = {}  # event -> its stored reports, by seq
        self.profiles: dict[str, tuple[frozenset[Any], tuple[Any, ...]] | None] = {}  # event -> _profile, until
        # its reports change
        self.window_rows: dict[tuple[str, int], dict[str, tuple[str, int]]] = {}  # (family, day) -> report -> (event, seq)
        self.window_keys: dict[str, tuple[str, int]] = {}  # report id -> its key in window_rows

    # -- adding articles -----------------------------------------------------------

    def prefetch(self, articles: Sequence[Article]) -> None:
        """Look up which of these articles are stored (one query per chunk instead of one each)."""
        for chunk in _chunks([a.id for a in articles if a.id not in self.texts]):
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
        self._lookup_ids(sorted(ids))
        self._read_windows(keys)

    def _lookup_ids(self, ids: Sequence[str]) -> None:
        """Whether stored reports or events have these ids, and whether stored reports belong to them."""
        for chunk in _chunks(ids):
            for stmt, known in ((_REPORT_IDS_IN_USE, self.report_ids_stored),
                                (_EVENT_IDS_IN_USE, self.event_ids_stored),
                                (_CLUSTERS_IN_USE, self.clusters_stored)):
                found = set(self.conn.execute(stmt, {"ids": chunk}).scalars())
                known.update((i, i in found) for i in chunk)

    def _read_windows(self, keys: set[tuple[str, int]]) -> None:
        """The stored reports within a day of these (family, day) keys, and the reports of their events."""
        if not keys:
            return
        last = dt.date.max.toordinal()
        days: dict[str, set[int]] = {}
        for fam, d in keys:
            days.setdefault(fam, set()).update(d + k for k in (-1, 0, 1) if 1 <= d + k <= last)
        events: set[str] = set()

        def found(fam: str, x: Any) -> None:
            key = (fam, x.event_date.toordinal())
            self.window_rows[key][x.report_id] = (x.event_id_cnty, x.seq)
            self.window_keys[x.report_id] = key
            events.add(x.event_id_cnty)

        for fam, fam_days in days.items():
            for d in fam_days:
                self.window_rows.setdefault((fam, d), {})
        if sum(len(v) for v in days.values()) <= _CHUNK:  # one statement for the whole batch
            params: dict[str, Any] = {}
            for i, (fam, fam_days) in enumerate(sorted(days.items())):
                params[f"fam{i}"] = fam
                params[f"days{i}"] = [dt.date.fromordinal(d) for d in sorted(fam_days)]
            for x in self.conn.execute(_windows(len(days)), params):
                found(x.family, x)
        else:
            for fam, fam_days in sorted(days.items()):
                for chunk in _chunks(sorted(fam_days)):
                    for x in self.conn.execute(_WINDOWS, {"fam": fam,
                                                          "days": [dt.date.fromordinal(d) for d in chunk]}):
                        found(fam, x)
        self._stored_members(sorted(events))

    def _forget(self, old: Sequence[_Old]) -> None:
        """Take an article's deleted old reports out of the batch's caches."""
        for o in old:
            self.report_ids_stored[o.report_id] = False
            self.clusters_stored.pop(o.event_id_cnty, None)
            self.stored_members.pop(o.event_id_cnty, None)
            self.profiles.pop(o.event_id_cnty, None)
            key = self.window_keys.pop(o.report_id, None)
            if key is not None:
                self.window_rows[key].pop(o.report_id, None)

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
            self.articles.append((article, stored_text is not None))
        explicit = [e.event_id_cnty for e in events if e.event_id_cnty]
        if len(explicit) != len(set(explicit)):
            dup = next(i for i in explicit if explicit.count(i) > 1)
            raise StoreError(f"article {article.id} has two events with event_id_cnty {dup}; "
                             "merge them (dedup) before saving")
        old: list[_Old] = []
        if stored_text is not None:
            old = [_Old(x.report_id, x.event_id_cnty, x.seq, _load_row(x.row, x.published))
                   for x in self.conn.execute(_OLD_REPORTS, {"aid": article.id})]
        hit = self.prepared.pop(id(article), None)
        if hit is not None and hit[0] is article and hit[1] is events:
            rows = hit[2]
        else:
            rows = self._rows(article, events)
        matches = match_recoded([o.row for o in old], [row for row, _ in rows])
        if old:
            self.conn.execute(_DELETE_ARTICLE_REPORTS, {"aid": article.id})
            self._forget(old)
        old_clusters = {o.event_id_cnty for o in old}
        self.affected |= old_clusters
        why = (f"report {article.id} re-coded: it no longer codes this event" if self.recode
               else f"report {article.id} changed: it no longer codes this event")
        for cluster in old_clusters:
            self.why_gone.setdefault(cluster, why)
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
                self.moved.setdefault(prev.event_id_cnty, set()).add(cluster)
            mine.add(cluster)
            self.affected.add(cluster)
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
        self._lookup_ids(sorted({i for i in wanted if i not in self.report_ids_stored
                                 or i not in self.event_ids_stored}))
        in_use = {i for i in wanted if self.report_ids_stored[i]}
        in_use.update(i for i in wanted
                      if self.event_ids_stored[i] and (i not in reusable or self._has_reports(i)))
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
        if self.pending.get(event_id):
            return True
        known = self.clusters_stored.get(event_id)
        if known is None:
            if event_id in self.stored_members:
                known = bool(self.stored_members[event_id])
            else:
                known = bool(self.conn.execute(_CLUSTERS_IN_USE, {"ids": [event_id]}).first())
            self.clusters_stored[event_id] = known
        return known

    def _id_in_use(self, event_id: str, reusable: set[str]) -> bool:
        if event_id in reusable:
            return self._has_reports(event_id)
        if event_id not in self.report_ids_stored or event_id not in self.event_ids_stored:
            self._lookup_ids([event_id])
        return (self.report_ids_stored[event_id] or self.event_ids_stored[event_id]
                or bool(self.pending.get(event_id)))

    def _stored_members(self, event_ids: Sequence[str]) -> None:
        """Read the stored reports of these events (those not read yet in this batch)."""
        missing = []
        for i in event_ids:
            if i in self.stored_members:
                continue
            if self.clusters_stored.get(i) is False:  # known to have no stored report (a new event of this batch)
                self.stored_members[i] = []
            else:
                missing.append(i)
        stmt = _members_stmt(self.conn.dialect.name)
        for chunk in _chunks(missing):
            found: dict[str, list[_Stored]] = {i: [] for i in chunk}
            for x in self.conn.execute(stmt, {"ids": chunk}):
                found[x.event_id_cnty].append(_Stored(x.seq, x.row_article_id, x.row_country, x.row, x.published))
            self.stored_members.update(found)

    def _members(self, event_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """The rows of events' reports (stored and pending), oldest first."""
        self._stored_members(event_ids)
        out: dict[str, list[dict[str, Any]]] = {}
        for event_id in event_ids:
            found = [(s.seq, s.row()) for s in self.stored_members[event_id]] + self.pending.get(event_id, [])
            found.sort(key=lambda p: p[0])
            out[event_id] = [row for _, row in found]
        return out

    def _profile(self, event_id: str) -> tuple[frozenset[Any], tuple[Any, ...]] | None:
        """``member_profile`` of an event's reports (stored and pending, oldest first); None when it has none."""
        if event_id in self.profiles:
            return self.profiles[event_id]
        found = [(s.seq, s.article_id, s.country) for s in self.stored_members[event_id]]
        found.extend((seq, row.get("article_id"), row.get("country")) for seq, row in self.pending.get(event_id, ()))
        found.sort(key=lambda p: p[0])
        profile = self.profiles[event_id] = member_profile((a, c) for _, a, c in found) if found else None
        return profile

    def _window(self, fam: str, day: dt.date) -> dict[str, int]:
        """Stored events with a report of this family within a day of this day: event -> its first seq there."""
        keys = [(fam, day.toordinal() + k) for k in (-1, 0, 1)]
        if all(key in self.window_rows for key in keys):
            firsts: dict[str, int] = {}
            for key in keys:
                for event_id, seq in self.window_rows[key].values():
                    if event_id not in firsts or seq < firsts[event_id]:
                        firsts[event_id] = seq
            return firsts
        return {x.event_id_cnty: x.first
                for x in self.conn.execute(_WINDOW, {"fam": fam, "lo": day - dt.timedelta(days=1),
                                                     "hi": day + dt.timedelta(days=1)})}

    def _place(self, row: dict[str, Any], report_id: str, *, prefer: str | None,
               exclude: set[str]) -> tuple[str, str, str]:
        """The event a report belongs to: (event id, action, reason); a new event when none matches."""
        day = as_date(row["event_date"])
        decisions: list[tuple[float, int, str, str]] = []
        rejects: list[str] = []
        if day is not None:
            fam = family(row)
            firsts = self._window(fam, day)
            for offset in (-1, 0, 1):
                for event_id in self.pending_keys.get((fam, day.toordinal() + offset), ()):
                    seq = self.pending[event_id][0][0] if self.pending.get(event_id) else 0
                    firsts[event_id] = min(firsts.get(event_id, seq), seq)
            candidates = [c for c in firsts if c not in exclude]
            if candidates:
                self._stored_members(candidates)
                article, country = row.get("article_id"), row.get("country")
                for event_id in candidates:
                    profile = self._profile(event_id)
                    if profile is None:
                        continue
                    # match_event's own first step, without decoding the candidate's rows
                    early = early_reason(article, country, profile)
                    if early is not None:
                        rejects.append(f"not {event_id}: {early}")
                        continue
                    decision = match_members(row, self._members([event_id])[event_id])
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
        self.reports.append(report)
        self.pending_reports.setdefault(cluster, []).append(report)
        self.pending.setdefault(cluster, []).append((seq, row))
        self.profiles.pop(cluster, None)
        if day is not None:
            self.pending_keys.setdefault((fam, day.toordinal()), set()).add(cluster)

    def _decide(self, event_id: str, report_id: str, article_id: str, action: str, reason: str) -> None:
        self.decisions.append(dict(event_id_cnty=event_id, report_id=report_id, article_id=article_id,
                                   action=action, reason=reason, decided_at=self.stamp))

    # -- writing -------------------------------------------------------------------

    def flush(self) -> SaveResult:
        """Write the batch: articles, reports, decisions, then every affected event rebuilt from its reports."""
        conn = self.conn
        self._write_articles()
        if self.reports:
            insert_many(conn, schema.reports, self.reports)
        if self.decisions:
            insert_many(conn, schema.merges, self.decisions)
        affected = sorted(self.affected)
        members = self._known_members(affected)
        unknown = [i for i in affected if i not in members]
        members.update({i: [] for i in unknown})
        for chunk in _chunks(unknown):
            for x in conn.execute(_MEMBERS, {"ids": chunk}):
                members[x.event_id_cnty].append(_load_row(x.row, x.published))
        stored = self._stored(affected)
        drop, event_rows, source_rows, evidence_rows, revived = [], [], [], [], []
        for event_id in affected:
            old = stored.get(event_id)
            if not members[event_id]:
                if old is None:
                    continue
                drop.append(event_id)
                into = sorted(self.moved.get(event_id, set()) - {event_id})
                reason = (f"merged into {into[0]}: its report now codes the same event" if into
                          else self.why_gone.get(event_id, "no report codes it any more"))
                conn.execute(_INSERT_DELETED, dict(
                    event_id_cnty=event_id, deleted_timestamp=max(self.stamp, (old[0]["timestamp"] or 0) + 1),
                    reason=reason, merged_into=into[0] if into else None))
                self.result.deleted.append(event_id)
                continue
            merged = merge_reports(members[event_id], event_id)
            evidence = [{k: ev.get(k) for k in _EVIDENCE_COLUMNS} for ev in merged.row["evidence"]]
            values = {col: merged.row[col] for col in ACLED_COLUMNS}
            values["event_date"] = as_date(values["event_date"])
            values["article_id"] = merged.row["article_id"]
            if old is not None:
                old_values, old_evidence, old_sources = old
                if ({k: v for k, v in old_values.items() if k != "timestamp"}
                        == {k: v for k, v in values.items() if k != "timestamp"}
                        and old_evidence == evidence and old_sources == set(merged.article_ids)):
                    continue
                values["timestamp"] = max(self.stamp, (old_values["timestamp"] or 0) + 1)
                drop.append(event_id)
            else:
                values["timestamp"] = merged.row.get("timestamp") or self.stamp
                revived.append(event_id)
            oldest = members[event_id][0]
            values.update(salience=oldest.get("_salience"), score=oldest.get("_score"), updated_at=self.now)
            event_rows.append(values)
            source_rows.extend({"event_id_cnty": event_id, "article_id": aid} for aid in merged.article_ids)
            evidence_rows.extend({"event_id_cnty": event_id, **ev} for ev in evidence)
            self.result.changed.append(event_id)
        delete_events(conn, drop)
        for chunk in _chunks(revived):
            conn.execute(_UNDELETE, {"ids": chunk})
        if event_rows:
            insert_many(conn, schema.events, event_rows)
        if source_rows:
            insert_many(conn, schema.event_sources, source_rows)
        if evidence_rows:
            insert_many(conn, schema.evidence, evidence_rows)
        # >>> summary tables (store/aggregates.py, schema v3): the one call that keeps them in step,
        # now or (schema v5) logged for store.pending.refresh
        old_rows = [stored[i][0] for i in drop]
        if self.defer_summaries:
            pending.mark(conn, old=old_rows, new=event_rows)
        else:
            aggregates.events_changed(conn, old=old_rows, new=event_rows)
        # <<< summary tables
        self._reset()
        return self.result

    def _known_members(self, event_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """The rows of events' reports as the store will read them back after this batch's inserts, oldest
        first, for the events whose stored reports this batch has read already (or knows there are none)."""
        out: dict[str, list[dict[str, Any]]] = {}
        for event_id in event_ids:
            stored = self.stored_members.get(event_id)
            if stored is None and self.clusters_stored.get(event_id) is False:
                stored = []
            new = self.pending_reports.get(event_id, [])
            # A date reads back as itself (a datetime would come back as its date: leave that to the store).
            if stored is None or any(r["published"] is not None and type(r["published"]) is not dt.date
                                     for r in new):
                continue
            both = [(s.seq, s.row()) for s in stored] + [(r["seq"], _load_row(r["row"], r["published"])) for r in new]
            both.sort(key=lambda p: p[0])
            out[event_id] = [row for _, row in both]
        return out

    def _stored(self, event_ids: Sequence[str]) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]], set[str]]]:
        """Stored ACLED values, evidence and sources of events (absent ones are left out)."""
        out: dict[str, tuple[dict[str, Any], list[dict[str, Any]], set[str]]] = {}
        # Events this batch saw absent from the store are still absent (events are written after this).
        for chunk in _chunks([i for i in event_ids if self.event_ids_stored.get(i) is not False]):
            for x in self.conn.execute(_STORED_EVENTS, {"ids": chunk}).mappings():
                out[x["event_id_cnty"]] = (dict(x), [], set())
            present = [i for i in chunk if i in out]
            if not present:
                continue
            for x in self.conn.execute(_STORED_EVIDENCE, {"ids": present}).mappings():
                out[x["event_id_cnty"]][1].append({k: x[k] for k in _EVIDENCE_COLUMNS})
            for x in self.conn.execute(_STORED_SOURCES, {"ids": present}):
                out[x.event_id_cnty][2].add(x.article_id)
        return out

    def _write_articles(self) -> None:
        """Insert new article rows, update changed ones, and keep their full-text entries in step."""
        new, fts = [], []
        for article, update in self.articles:
            values = {
                "url": article.url, "title": article.title, "published": article.published,
                "publisher": article.publisher, "source_path": article.source_path,
                "dateline_place": article.dateline_place, "dateline_country": article.dateline_country,
                "body_start": article.body_start, "text": article.text, "ingested_at": self.now,
            }
            if update:
                self.conn.execute(_UPDATE_ARTICLE, {"_id": article.id, **values})
                if self.sqlite:
                    self.conn.execute(_FTS_DELETE, {"r": fts_rowid(article.id)})
            else:
                new.append({"id": article.id, **values})
            fts.append({"r": fts_rowid(article.id), "i": article.id, "t": article.title or "", "x": article.text})
        if new:
            insert_many(self.conn, schema.articles, new)
        if fts and self.sqlite:
            self.conn.exec_driver_sql(_FTS_INSERT, [(f["r"], f["i"], f["t"], f["x"]) for f in fts])


def delete_events(conn: sa.Connection, event_ids: Sequence[str]) -> None:
    """Delete events with their evidence and sources (explicitly: no reliance on ON DELETE CASCADE)."""
    for chunk in _chunks(event_ids):
        for stmt in _DELETE_EVENT_ROWS:
            conn.execute(stmt, {"ids": chunk})
