"""No data lost: a real `eventcoder ingest` killed at random moments, then run again, equals one clean run;
two ingests at once into one store neither corrupt nor duplicate; the sample's two reports of one event merge.

These run the installed command in subprocesses on SQLite and on PostgreSQL
(a fresh schema per test; skipped with the reason when no server is set).
"""
from __future__ import annotations

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
from test_store import db_path, postgres_schema, postgres_unavailable  # noqa: F401

EVENTCODER = [sys.executable, "-m", "eventcoder"]


@pytest.fixture(params=["sqlite", "postgresql"])
def two_stores(request, tmp_path):
    """Two empty store locations on one backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "clean.db"), str(tmp_path / "other.db")
        return
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    with postgres_schema() as one, postgres_schema() as two:
        yield one, two


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
            "reports": rows("SELECT report_id, event_id_cnty, article_id, seq, row FROM reports"),
            "merges": rows("SELECT event_id_cnty, report_id, article_id, action, reason FROM merges"),
            "deleted": rows("SELECT event_id_cnty, reason, merged_into FROM deleted"),
        }


def test_killed_ingest_then_rerun_equals_one_clean_run(two_stores, corpus, gazetteer_path):
    clean, killed = two_stores
    env = _env(gazetteer_path)
    subprocess.run(_ingest_cmd(clean, corpus), env=env, check=True, timeout=300)
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    kills = 0
    for _ in range(4):
        proc = subprocess.Popen(_ingest_cmd(killed, corpus), env=env, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 4.0))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
    subprocess.run(_ingest_cmd(killed, corpus), env=env, check=True, timeout=300)
    assert snapshot(killed) == snapshot(clean), f"random seed {seed}, {kills} kills"


def test_two_ingests_at_once(two_stores, corpus, gazetteer_path):
    clean, shared = two_stores
    env = _env(gazetteer_path)
    subprocess.run(_ingest_cmd(clean, corpus), env=env, check=True, timeout=300)
    procs = [subprocess.Popen(_ingest_cmd(shared, corpus), env=env, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    want, got = snapshot(clean), snapshot(shared)
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
