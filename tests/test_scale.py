"""Scale (issue 7): partitions, Parquet in and out, process pool and a real Dask LocalCluster, load."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from eventcoder.cli import cli
from eventcoder.errors import InputError
from eventcoder.export.rows import event_to_row
from eventcoder.ingest import iter_inputs
from eventcoder.scale.engines import run_partitions
from eventcoder.scale.partition import plan_partitions, read_partition
from eventcoder.scale.parts import read_manifest, read_rows
from eventcoder.scale.worker import CoderConfig, code_partition

from conftest import ROOT, SAMPLES

sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import mixed_corpus  # noqa: E402


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory) -> Path:
    """48 generated reports (a fifth about conflict) plus one bad line, as JSON Lines."""
    path = tmp_path_factory.mktemp("corpus") / "news.jsonl"
    lines = [json.dumps(r) for r in mixed_corpus(48, conflict_share=0.25, seed=5)]
    lines.insert(20, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _inputs(corpus_file: Path) -> list[str]:
    return [str(corpus_file), str(SAMPLES / "reports")]


def _single_process_rows(inputs: list[str]) -> list[dict]:
    from eventcoder.pipeline import Coder

    articles = (a for a in iter_inputs(inputs) if not isinstance(a, InputError))
    rows = []
    for _, events in Coder().code(articles):
        rows.extend(event_to_row(e) for e in events)
    return _without_timestamp(rows)


def _without_timestamp(rows):
    rows = list(rows)
    for r in rows:
        r.pop("timestamp")
    return rows


@pytest.fixture(scope="module")
def expected(corpus_file, gazetteer_path) -> list[dict]:
    return _single_process_rows(_inputs(corpus_file))


# --- partitions and streaming inputs ---------------------------------------------------

def test_partitions_cover_the_inputs_in_order(corpus_file):
    parts = plan_partitions(_inputs(corpus_file), size=10)
    kinds = [p.kind for p in parts]
    assert kinds[:5] == ["lines"] * 5 and "files" in kinds[5:]
    assert [p.size for p in parts[:5]] == [10, 10, 10, 10, 9]
    assert plan_partitions(_inputs(corpus_file), size=10) == parts  # stable ids
    whole = [(type(x).__name__, getattr(x, "id", None) or x.source) for x in iter_inputs(_inputs(corpus_file))]
    pieces = [(type(x).__name__, getattr(x, "id", None) or x.source) for p in parts for x in read_partition(p)]
    assert pieces == whole
    assert ("InputError", f"{corpus_file} line 21") in pieces


def test_parquet_input_streams_by_row_group(tmp_path):
    path = tmp_path / "news.parquet"
    table = pa.table({"id": [f"r{i}" for i in range(10)],
                      "text": [f"Report number {i} about the harvest." if i != 4 else None for i in range(10)],
                      "published": ["2026-03-01"] * 10})
    pq.write_table(table, path, row_group_size=3)
    items = list(iter_inputs([path]))
    assert [getattr(x, "id", None) for x in items] == ["r0", "r1", "r2", "r3", None, "r5", "r6", "r7", "r8", "r9"]
    assert isinstance(items[4], InputError) and items[4].source == f"{path} row 5"
    parts = plan_partitions([path], size=5)
    assert [p.row_groups for p in parts] == [(0, 1), (2, 3)]
    assert [getattr(x, "id", None) for p in parts for x in read_partition(p)] == \
        [getattr(x, "id", None) for x in items]


def test_stdin_cannot_be_partitioned():
    [part] = plan_partitions(["-"])
    assert [e.problem for e in read_partition(part)] == ["stdin cannot be partitioned; give files or folders"]


# --- engines ----------------------------------------------------------------------------

def test_dask_localcluster_equals_single_process(tmp_path, runner, corpus_file, expected):
    out = tmp_path / "run"
    args = ["extract", "--engine", "dask", "--workers", "2", "--partition-size", "8",
            *_inputs(corpus_file), "--out", str(out)]
    r = runner.invoke(cli, args)
    assert r.exit_code == 1, r.output  # the bad JSON line is reported, not fatal
    assert f"{corpus_file} line 21" in r.stderr and "0 failed" in r.stderr
    assert _without_timestamp(read_rows(out)) == expected
    manifest = read_manifest(out)
    assert all(p["status"] == "done" for p in manifest["partitions"])
    assert len({p["worker"] for p in manifest["partitions"]}) == 2  # both workers coded
    files = sorted((out / "events").glob("*.parquet"))
    assert len(files) == len(manifest["partitions"])
    stamps = [f.stat().st_mtime_ns for f in files]
    again = runner.invoke(cli, args)  # rerun: everything already done, nothing rewritten
    n = len(files)
    assert f"{n} partitions, {n} already done" in again.stderr and f"0 done now, {n} done before" in again.stderr
    assert [f.stat().st_mtime_ns for f in files] == stamps
    assert read_manifest(out)["partitions"] == manifest["partitions"]


def test_process_pool_equals_single_process(tmp_path, runner, corpus_file, expected):
    out = tmp_path / "run"
    r = runner.invoke(cli, ["extract", "--engine", "processes", "--workers", "2", "--partition-size", "16",
                            *_inputs(corpus_file), "--out", str(out), "--quiet"])
    assert r.exit_code == 1 and "0 failed" not in r.stderr
    assert _without_timestamp(read_rows(out)) == expected


def flaky_task(part, out, config):
    """Fails the first try of every partition, and every try of the partition holding 'fail-always'."""
    marker = Path(out) / f".tried-{part.id}"
    if any("fail-always" in p for p in part.paths):
        raise RuntimeError("simulated worker failure")
    if not marker.exists():
        marker.write_text("1")
        raise RuntimeError("transient failure")
    return code_partition(part, out, config)


def test_failed_partitions_are_retried_reported_and_rerun(tmp_path, gazetteer_path):
    good = tmp_path / "good"
    good.mkdir()
    for i in range(3):
        (good / f"r{i}.txt").write_text(f"Title: Report {i}\n\nFarmers sold {i} tonnes of maize on Monday.\n")
    bad = tmp_path / "fail-always.txt"
    bad.write_text("Title: Bad\n\nThis partition always fails.\n")
    out = tmp_path / "run"
    config = CoderConfig(gazetteer_path=str(gazetteer_path))
    report = run_partitions([good, bad], out, engine="dask", workers=2, partition_size=1, retries=1,
                            config=config, task=flaky_task)
    assert report.partitions == 4 and report.done == 3
    assert [(what, err) for _, what, err in report.failed] == [
        (str(bad.resolve()), "RuntimeError: simulated worker failure")]
    entries = {p["paths"][0]: p for p in read_manifest(out)["partitions"]}
    assert entries[str(bad.resolve())]["status"] == "failed"
    assert entries[str(bad.resolve())]["error"] == "RuntimeError: simulated worker failure"
    # A rerun (with the cause fixed) skips the 3 done partitions and does the failed one.
    bad.rename(tmp_path / "fixed.txt")
    (tmp_path / "fail-always.txt").write_text("Title: Bad\n\nThis partition always fails.\n")
    rerun = run_partitions([good, bad], out, engine="local", partition_size=1, retries=0, config=config,
                           task=code_partition)
    assert (rerun.skipped, rerun.done, rerun.failed) == (3, 1, [])


def test_load_dedups_into_the_store(tmp_path, runner, corpus_file, gazetteer_path):
    out = tmp_path / "run"
    runner.invoke(cli, ["extract", "--out", str(out), str(SAMPLES / "reports"), "--quiet"])
    db = str(tmp_path / "ev.db")
    r = runner.invoke(cli, ["load", str(out), "--db", db])
    assert r.exit_code == 0, r.output
    from eventcoder.store import Store

    rows = list(read_rows(out))
    with Store.open(db) as store:
        stats = store.stats()
        assert stats["articles"] == sum(p["articles"] for p in read_manifest(out)["partitions"])
        assert 0 < stats["events"] <= len(rows)
        stored = {e["event_id_cnty"] for e in store.query_events()}
    assert stored <= {r["event_id_cnty"] for r in rows}  # merged events keep one of their ids
    again = runner.invoke(cli, ["load", str(out), "--db", db])
    assert again.exit_code == 0 and "0 new" in again.stderr


def test_extract_stdin_is_unchanged_across_batches(runner, gazetteer_path):
    """The JSONL machine interface: one line per input line, same id and order, past a batch boundary."""
    lines = []
    for i in range(70):
        if i % 23 == 5:
            lines.append("{broken")
        elif i == 40:
            lines.append(json.dumps({"id": i}))  # no text
        else:
            lines.append(json.dumps({"id": i, "text": f"MOSUL (Wire) - Gunmen killed {i % 5 + 2} shepherds "
                                                      "near Mosul on Friday.", "published": "2026-03-14"}))
    r = runner.invoke(cli, ["extract"], input="\n".join(lines) + "\n")
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(out) == 70 and r.exit_code == 1
    assert [o["id"] for o in out] == [None if i % 23 == 5 else i for i in range(70)]
    assert all(("error" in o) == (i % 23 == 5 or i == 40) for i, o in enumerate(out))
    assert all(o["events"] for i, o in enumerate(out) if "error" not in o)
