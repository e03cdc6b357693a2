"""No data lost: a real `eventcoder ingest` killed at random moments, then run again, equals one clean run;
two ingests at once into one store neither corrupt nor duplicate; the sample's two reports of one event merge.

These run the installed command in subprocesses on SQLite and on PostgreSQL
(a fresh schema per test; skipped with the reason when no server is set).
"""
from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from eventcoder.cli import cli
from eventcoder.store import Store

from conftest import SAMPLES
from test_aggregates import assert_in_step
from test_store import postgres_schema, postgres_unavailable

EVENTCODER = [sys.executable, "-m", "eventcoder"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The sample reports plus re-worded copies "from other outlets" (so dedup has work to do)."""
    folder = tmp_path_factory.mktemp("corpus")
    lines = []
    for line in (SAMPLES / "reports" / "feeds" / "wire_feed.jsonl").read_text().splitlines():
        record = json.loads(line)
        for k in range(1, 4):
            lines.append(json.dumps({**record, "id": f"{record['id']}-copy{k}", "publisher": f"Outlet {k}",
                                     "url": f"https://outlet{k}.example/{record['id']}",
                                     "text": record["text"] + f"\n\nReporting by Outlet {k} staff."}))
    (folder / "copies.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def _env(gazetteer_path: Path) -> dict[str, str]:
    return {**os.environ, "EVENTCODER_GAZETTEER": str(gazetteer_path)}


def _ingest_cmd(db: str, corpus: Path) -> list[str]:
    return [*EVENTCODER, "ingest", str(SAMPLES / "reports"), str(corpus), "--db", db, "--batch-size", "3", "--quiet"]


def snapshot(url: str) -> dict:
    """Everything a store holds, minus wall-clock times (timestamps, ingest and decision times)."""
    with Store.open(url) as store, store.engine.connect() as conn:
        def rows(sql: str) -> list[tuple]:
            return sorted(tuple(r) for r in conn.execute(sa.text(sql)))

        events = [{k: v for k, v in r.items() if k != "timestamp"} for r in store.query_events()]
        return {
            "articles": rows("SELECT id, text, title, publisher FROM articles"),
            "events": sorted(events, key=lambda r: r["event_id_cnty"]),
            "sources": rows("SELECT event_id_cnty, article_id FROM event_sources"),
            "reports": sorted((r[0], r[1], r[2], r[3], json.dumps({k: v for k, v in json.loads(r[4]).items()
                                                                   if k != "timestamp"}, sort_keys=True))
                              for r in rows("SELECT report_id, event_id_cnty, article_id, seq, row FROM reports")),
            "merges": rows("SELECT event_id_cnty, report_id, article_id, action, reason FROM merges"),
            "deleted": rows("SELECT event_id_cnty, reason, merged_into FROM deleted"),
        }


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request, tmp_path_factory, corpus, gazetteer_path):
    """A backend: a factory of fresh store locations, and the snapshot of one clean ingest of the corpus."""
    folder = tmp_path_factory.mktemp(request.param)
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            counter = iter(range(10**6))

            def fresh() -> str:
                return str(folder / f"store{next(counter)}.db")
        else:
            reason = postgres_unavailable()
            if reason:
                pytest.skip(reason)

            def fresh() -> str:
                return stack.enter_context(postgres_schema())
        clean = fresh()
        subprocess.run(_ingest_cmd(clean, corpus), env=_env(gazetteer_path), check=True, timeout=300)
        yield fresh, snapshot(clean)


def test_killed_ingest_then_rerun_equals_one_clean_run(backend, corpus, gazetteer_path):
    fresh, want = backend
    killed = fresh()
    env = _env(gazetteer_path)
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    kills = 0
    for _ in range(3):
        proc = subprocess.Popen(_ingest_cmd(killed, corpus), env=env, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.0, 4.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
    subprocess.run(_ingest_cmd(killed, corpus), env=env, check=True, timeout=300)
    assert snapshot(killed) == want, f"random seed {seed}, {kills} kills"
    # The API's summary tables too (bulk writers defer them: store.pending): equal to a recount of the events.
    with Store.open(killed) as store:
        assert_in_step(store)


def test_two_ingests_at_once(backend, corpus, gazetteer_path):
    fresh, want = backend
    shared = fresh()
    env = _env(gazetteer_path)
    procs = [subprocess.Popen(_ingest_cmd(shared, corpus), env=env, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    got = snapshot(shared)
    assert got["articles"] == want["articles"]
    assert len(got["reports"]) == len(want["reports"])
    assert len({r[0] for r in got["reports"]}) == len(got["reports"])
    # The same events, each with the same reports (which loader stored a report first may differ).
    def groups(snap):
        by_event: dict[str, set] = {}
        for event_id, article_id in snap["sources"]:
            by_event.setdefault(event_id, set()).add(article_id)
        return sorted(sorted(v) for v in by_event.values())
    assert groups(got) == groups(want)
    with Store.open(shared) as store:
        assert_in_step(store)


def test_sample_two_outlets_become_one_event(tmp_path, gazetteer_path):
    runner = CliRunner()
    db = str(tmp_path / "x.db")
    r = runner.invoke(cli, ["ingest", str(SAMPLES / "reports"), "--db", db, "--quiet"])
    assert r.exit_code == 0, r.output
    rows = json.loads(runner.invoke(cli, ["events", "--db", db, "--format", "json", "--country", "Syria"]).stdout)
    shaddadi = [row for row in rows if "Shaddad" in row["location"] and row["sub_event_type"] == "Armed clash"]
    assert len(shaddadi) == 1
    (event,) = shaddadi
    assert event["source"] in ("Khabur Network; Jazira Post", "Jazira Post; Khabur Network")
    assert {e["article_id"] for e in event["evidence"]} >= {"syr-shaddadi-khabur-20260325"}
    assert len({e["article_id"] for e in event["evidence"]}) == 2
    explained = runner.invoke(cli, ["events", "--db", db, "--explain", event["event_id_cnty"]])
    assert explained.exit_code == 0
    assert "merge" in explained.stdout and "same event as" in explained.stdout
    info = json.loads(runner.invoke(cli, ["events", "--db", db, "--explain", event["event_id_cnty"],
                                          "--format", "json"]).stdout)
    assert len(info["reports"]) == 2
    # Full-text search and the sync helpers from the command line.
    found = json.loads(runner.invoke(cli, ["events", "--db", db, "--text", "checkpoint", "--format", "json"]).stdout)
    assert event["event_id_cnty"] in {row["event_id_cnty"] for row in found}
    since = runner.invoke(cli, ["events", "--db", db, "--changed-since", "2000-01-01", "--format", "jsonl"])
    assert len(since.stdout.splitlines()) == len(json.loads(
        runner.invoke(cli, ["events", "--db", db, "--format", "json"]).stdout))
    # Re-coding with the same model changes nothing; the deletions list stays empty.
    r = runner.invoke(cli, ["recode", "--db", db])
    assert r.exit_code == 0 and "0 events added or changed, 0 deleted" in r.stderr
    gone = runner.invoke(cli, ["events", "--db", db, "--deleted-since", "0"])
    assert "(0 deletions)" in gone.stdout
