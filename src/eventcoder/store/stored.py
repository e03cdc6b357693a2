"""What dedup knows of the stored reports: read in bulk per batch, and kept from one batch to the next.

A ``StoredView`` holds what a writer has read of the store: which ids
stored reports and events use, the stored reports of dedup windows (one
family, one day), each read event's stored reports, and their match
profiles. A batch reads what it needs with a few statements (``prepare``:
ids, windows, their events' reports) instead of several per event.

The view outlives its batch (``Store`` hands it to the next one) as long as
nobody else wrote: every write transaction that changes ``reports``
advances the store's write generation (``store_writes``, schema v9)
inside the write lock, and a writer whose view was taken at another
generation starts a fresh one. So two writers (processes or ``Store``
objects) never dedup against a stale view, and a batch never reads again
the windows and events that earlier batches of the same run read (a news
feed's batches share most of their days). A batch that fails leaves no
view behind (``Store._save``).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from eventcoder.store import schema

CHUNK = 500
# A view holding more stored reports than this starts over (memory stays bounded on long ingests; a run
# in date order keeps re-reading only its recent days).
MAX_CACHED_REPORTS = 50_000

_r, _e = schema.reports.c, schema.events.c
_WINDOW = (sa.select(_r.event_id_cnty, sa.func.min(_r.seq).label("first"))
           .where(_r.family == sa.bindparam("fam"), _r.event_date >= sa.bindparam("lo"),
                  _r.event_date <= sa.bindparam("hi"))
           .group_by(_r.event_id_cnty))
# The stored reports of one family on the days of a batch's dedup windows (one query per family and batch).
_WINDOWS = (sa.select(_r.report_id, _r.event_id_cnty, _r.seq, _r.event_date)
            .where(_r.family == sa.bindparam("fam"), _r.event_date.in_(sa.bindparam("days", expanding=True))))
_WINDOWS_BY_COUNT: dict[int, sa.Select] = {}
_MEMBERS = (sa.select(_r.event_id_cnty, _r.seq, _r.row, _r.published)
            .where(_r.event_id_cnty.in_(sa.bindparam("ids", expanding=True))).order_by(_r.seq))
_MEMBERS_BY_DIALECT: dict[str, sa.Select] = {}
_REPORT_IDS_IN_USE = sa.select(_r.report_id).where(_r.report_id.in_(sa.bindparam("ids", expanding=True)))
_CLUSTERS_IN_USE = sa.select(_r.event_id_cnty).where(_r.event_id_cnty.in_(sa.bindparam("ids", expanding=True)))
_EVENT_IDS_IN_USE = sa.select(_e.event_id_cnty).where(_e.event_id_cnty.in_(sa.bindparam("ids", expanding=True)))
_GENERATION = sa.select(schema.store_writes.c.generation).where(schema.store_writes.c.id == 1)
_NEXT_GENERATION = (sa.update(schema.store_writes).where(schema.store_writes.c.id == 1)
                    .values(generation=schema.store_writes.c.generation + 1))


def chunks(items: Iterable[Any]) -> list[list[Any]]:
    """Consecutive slices of at most ``CHUNK`` items (IN lists well under SQLite's parameter limit)."""
    items = list(items)
    return [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]


def load_row(row_json: str, published: dt.date | None) -> dict[str, Any]:
    """A report's row from its table row, with its publication date."""
    row = json.loads(row_json)
    row["published"] = published.isoformat() if published else None
    return row


def generation(conn: sa.Connection) -> int:
    """The store's write generation (read inside the write lock)."""
    return conn.execute(_GENERATION).scalar_one()


def advance_generation(conn: sa.Connection) -> int:
    """Count a write that changed ``reports`` (inside the write transaction); the new generation."""
    conn.execute(_NEXT_GENERATION)
    return generation(conn)


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


class Stored:
    """A stored report of an event: its seq, its row's article_id and country, and its row, decoded on first use."""

    __slots__ = ("seq", "article_id", "country", "_raw", "_published", "_row")

    def __init__(self, seq: int, article_id: Any, country: Any, raw: str, published: dt.date | None):
        self.seq, self.article_id, self.country = seq, article_id, country
        self._raw, self._published, self._row = raw, published, None

    def row(self) -> dict[str, Any]:
        """The report's row (``load_row``), decoded once."""
        if self._row is None:
            self._row = load_row(self._raw, self._published)
        return self._row


class StoredView:
    """What a writer has read of the stored reports and events, valid at one write generation."""

    def __init__(self, generation: int):
        self.generation = generation
        self.report_ids: dict[str, bool] = {}  # report id -> a stored report has it
        self.event_ids: dict[str, bool] = {}  # event id -> a stored event has it
        self.clusters: dict[str, bool] = {}  # event id -> stored reports belong to it
        self.members: dict[str, list[Stored]] = {}  # event -> its stored reports, by seq
        # event -> rules.member_profile of its reports (stored and the batch's), until they change
        self.profiles: dict[str, tuple[frozenset[Any], tuple[Any, ...]] | None] = {}
        self.window_rows: dict[tuple[str, int], dict[str, tuple[str, int]]] = {}  # (family, day) -> report ->
        # (event, seq)
        self.window_keys: dict[str, tuple[str, int]] = {}  # report id -> its key in window_rows
        # (family, day) -> ``window``'s answer, until the stored reports change (a news feed's batch asks
        # for the same few days hundreds of times)
        self.window_answers: dict[tuple[str, int], dict[str, int]] = {}

    def too_large(self) -> bool:
        """Whether the view holds more than ``MAX_CACHED_REPORTS`` reports (the next batch starts afresh)."""
        return len(self.report_ids) + len(self.window_keys) > MAX_CACHED_REPORTS

    def lookup_ids(self, conn: sa.Connection, ids: Iterable[str]) -> None:
        """Whether stored reports or events have these ids, and whether stored reports belong to them."""
        for chunk in chunks(ids):
            for stmt, known in ((_REPORT_IDS_IN_USE, self.report_ids), (_EVENT_IDS_IN_USE, self.event_ids),
                                (_CLUSTERS_IN_USE, self.clusters)):
                found = set(conn.execute(stmt, {"ids": chunk}).scalars())
                known.update((i, i in found) for i in chunk)

    def read_windows(self, conn: sa.Connection, keys: set[tuple[str, int]]) -> None:
        """The stored reports within a day of these (family, day) keys, and the reports of their events
        (only the days not read yet)."""
        last = dt.date.max.toordinal()
        days: dict[str, set[int]] = {}
        for fam, d in keys:
            days.setdefault(fam, set()).update(d + k for k in (-1, 0, 1)
                                               if 1 <= d + k <= last and (fam, d + k) not in self.window_rows)
        days = {fam: fam_days for fam, fam_days in days.items() if fam_days}
        if not days:
            return
        events: set[str] = set()

        def found(fam: str, x: Any) -> None:
            key = (fam, x.event_date.toordinal())
            self.window_rows[key][x.report_id] = (x.event_id_cnty, x.seq)
            self.window_keys[x.report_id] = key
            events.add(x.event_id_cnty)

        for fam, fam_days in days.items():
            for d in fam_days:
                self.window_rows[(fam, d)] = {}
        if sum(len(v) for v in days.values()) <= CHUNK:  # one statement for the whole batch
            params: dict[str, Any] = {}
            for i, (fam, fam_days) in enumerate(sorted(days.items())):
                params[f"fam{i}"] = fam
                params[f"days{i}"] = [dt.date.fromordinal(d) for d in sorted(fam_days)]
            for x in conn.execute(_windows(len(days)), params):
                found(x.family, x)
        else:
            for fam, fam_days in sorted(days.items()):
                for chunk in chunks(sorted(fam_days)):
                    for x in conn.execute(_WINDOWS, {"fam": fam, "days": [dt.date.fromordinal(d) for d in chunk]}):
                        found(fam, x)
        self.read_members(conn, sorted(events))

    def read_members(self, conn: sa.Connection, event_ids: Sequence[str]) -> None:
        """Read the stored reports of these events (those not read yet)."""
        missing = []
        for i in [i for i in event_ids if i not in self.members]:
            if self.clusters.get(i) is False:  # known to have no stored report (a new event of this batch)
                self.members[i] = []
            else:
                missing.append(i)
        stmt = _members_stmt(conn.dialect.name)
        for chunk in chunks(missing):
            found: dict[str, list[Stored]] = {i: [] for i in chunk}
            for x in conn.execute(stmt, {"ids": chunk}):
                found[x.event_id_cnty].append(Stored(x.seq, x.row_article_id, x.row_country, x.row, x.published))
            self.members.update(found)

    def window(self, conn: sa.Connection, fam: str, day: dt.date) -> dict[str, int]:
        """Stored events with a report of this family within a day of this day: event -> its first seq there."""
        d = day.toordinal()
        answer = self.window_answers.get((fam, d))
        if answer is not None:
            return dict(answer)
        parts = [self.window_rows.get((fam, d + k)) for k in (-1, 0, 1)]
        if None not in parts:
            firsts: dict[str, int] = {}
            for part in parts:
                for event_id, seq in part.values():
                    old = firsts.get(event_id)
                    if old is None or seq < old:
                        firsts[event_id] = seq
            self.window_answers[(fam, d)] = firsts
            return dict(firsts)
        return {x.event_id_cnty: x.first
                for x in conn.execute(_WINDOW, {"fam": fam, "lo": day - dt.timedelta(days=1),
                                                "hi": day + dt.timedelta(days=1)})}

    def has_reports(self, conn: sa.Connection, event_id: str) -> bool:
        """Whether stored reports belong to this event."""
        known = self.clusters.get(event_id)
        if known is None:
            if event_id in self.members:
                known = bool(self.members[event_id])
            else:
                known = bool(conn.execute(_CLUSTERS_IN_USE, {"ids": [event_id]}).first())
            self.clusters[event_id] = known
        return known

    def forget(self, reports: Iterable[tuple[str, str]]) -> None:
        """Take deleted stored reports, (report id, event id), out of the view."""
        self.window_answers.clear()
        for report_id, event_id in reports:
            self.report_ids[report_id] = False
            self.clusters.pop(event_id, None)
            self.members.pop(event_id, None)
            self.profiles.pop(event_id, None)
            key = self.window_keys.pop(report_id, None)
            if key is not None:
                self.window_rows[key].pop(report_id, None)

    def stored(self, reports: Iterable[tuple[dict[str, Any], dict[str, Any]]], written: Iterable[str],
               deleted: Iterable[str]) -> None:
        """Take a flushed batch into the view: its new reports (report table row, coded row), the events it
        deleted or rewrote (``deleted``) and those it wrote (``written``)."""
        self.window_answers.clear()
        grown: set[str] = set()
        for report, row in reports:
            report_id, event_id, seq = report["report_id"], report["event_id_cnty"], report["seq"]
            self.report_ids[report_id] = True
            day = report["event_date"]
            key = (report["family"], day.toordinal()) if day is not None else None
            if key is not None and key in self.window_rows:  # a window read complete stays complete
                self.window_rows[key][report_id] = (event_id, seq)
                self.window_keys[report_id] = key
            members = self.members.get(event_id)
            if members is None and self.clusters.get(event_id) is False:
                members = self.members[event_id] = []
            self.clusters[event_id] = True
            if members is None:
                continue
            # the row's JSON holds these as the coded row does; kept only when they read back exactly as
            # stored (JSON strings; the published column holds a date, not a datetime)
            article_id, country, published = row.get("article_id"), row.get("country"), report["published"]
            if (article_id is None or type(article_id) is str) and (country is None or type(country) is str) \
                    and (published is None or type(published) is dt.date):
                members.append(Stored(seq, article_id, country, report["row"], published))
                grown.add(event_id)
            else:
                del self.members[event_id]
        for event_id in grown:
            if event_id in self.members:
                self.members[event_id].sort(key=lambda s: s.seq)
        self.event_ids.update((i, False) for i in deleted)
        self.event_ids.update((i, True) for i in written)
