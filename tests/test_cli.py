"""CLI through click's CliRunner: every command works, errors are clean, everything is documented."""
from __future__ import annotations

import csv
import io
import json

import click
import pytest

from eventcoder.cli import cli
from eventcoder.vocab import ACLED_COLUMNS

from conftest import ROOT, SAMPLES

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "eventcoder"):
    """Every (full name, command) of the CLI, subcommands included."""
    for name, cmd in group.commands.items():
        full = f"{prefix} {name}"
        yield full, cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, full)


@pytest.mark.parametrize("name,cmd", list(_commands(cli)), ids=lambda x: x if isinstance(x, str) else "")
def test_command_and_options_documented(name, cmd):
    assert f"`{name}" in README, f"{name} is not documented in README.md"
    for param in cmd.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--"):
                assert opt in README, f"{name} {opt} is not documented in README.md"


def test_ingest_events_export(tmp_path, runner, gazetteer_path):
    db = str(tmp_path / "ev.db")
    report = SAMPLES / "reports" / "txt" / "kirkuk_farmers.txt"
    r = runner.invoke(cli, ["ingest", str(report), "--db", db, "--quiet"])
    assert r.exit_code == 0, r.output
    again = runner.invoke(cli, ["ingest", str(report), "--db", db])
    assert again.exit_code == 0 and "0 new" in again.stderr
    r = runner.invoke(cli, ["events", "--db", db, "--format", "jsonl"])
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert rows and all(list(row)[:31] == list(ACLED_COLUMNS) for row in rows)
    assert rows[0]["country"] == "Iraq"
    table = runner.invoke(cli, ["events", "--db", db])
    assert "Attack" in table.stdout and "(1 events)" in table.stdout or "events)" in table.stdout
    out = tmp_path / "ev.csv"
    r = runner.invoke(cli, ["export", "--db", db, "--format", "csv", "-o", str(out)])
    assert r.exit_code == 0
    header = next(csv.reader(io.StringIO(out.read_text())))
    assert header[:31] == list(ACLED_COLUMNS) and header[31:] == ["article_id", "evidence"]


def test_events_filters(tmp_path, runner, gazetteer_path):
    db = str(tmp_path / "ev.db")
    runner.invoke(cli, ["ingest", str(SAMPLES / "reports" / "feeds"), "--db", db, "--quiet"])
    everything = runner.invoke(cli, ["events", "--db", db, "--format", "json"])
    rows = json.loads(everything.stdout)
    assert len({r["country"] for r in rows}) > 1
    nga = json.loads(runner.invoke(cli, ["events", "--db", db, "--format", "json", "--country", "Nigeria"]).stdout)
    assert nga and all(r["country"] == "Nigeria" for r in nga) and len(nga) < len(rows)


def test_ingest_bad_input_goes_on(tmp_path, runner, gazetteer_path):
    good = SAMPLES / "reports" / "txt" / "talafar_ied.txt"
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary\x00")
    r = runner.invoke(cli, ["ingest", str(empty), str(good), str(binary), "--db", str(tmp_path / "x.db")])
    assert r.exit_code == 1
    assert "empty.txt" in r.stderr and "blob.txt" in r.stderr and "2 inputs skipped" in r.stderr
    assert "1 new" in r.stderr


def test_extract_machine_interface(runner, gazetteer_path):
    lines = [
        {"id": "a", "text": "KIRKUK (Test Wire) - Gunmen killed two shepherds near Kirkuk on Friday.",
         "published": "2026-03-14"},
        "not json",
        {"id": "c", "text": "The central bank kept rates unchanged."},
        {"id": "d"},
    ]
    stdin = "\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines) + "\n"
    r = runner.invoke(cli, ["extract"], input=stdin)
    assert r.exit_code == 1
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", None, "c", "d"]
    ev = out[0]["events"][0]
    assert ev["event_date"] == "2026-03-13" and ev["fatalities"] == 2 and ev["admin1"]
    assert out[1]["error"] and out[2]["events"] == [] and out[3]["error"]
    text = lines[0]["text"]
    assert all(text[e["start"]:e["end"]] == e["text"] for e in ev["evidence"])


def test_classify_machine_interface(runner):
    stdin = "\n".join(json.dumps(x) for x in [
        {"id": 1, "text": "A roadside bomb struck a police vehicle in Kandahar, killing two officers."},
        {"id": 2, "text": "The football team won the cup final on Sunday."},
    ]) + "\n"
    r = runner.invoke(cli, ["classify"], input=stdin)
    out = [json.loads(line) for line in r.stdout.splitlines()]
    assert out[0]["sub_event_type"] == "Remote explosive/landmine/IED"
    assert out[0]["event_type"] == "Explosions/Remote violence"
    assert out[1]["event_type"] is None and out[1]["sub_event_type"] is None


def test_geoparse_machine_interface(runner, gazetteer_path):
    text = "Fighting was reported in Mosul and near Kirkuk."
    stdin = json.dumps({"id": "g", "text": text, "spans": [[25, 30]]}) + "\n"
    out = json.loads(runner.invoke(cli, ["geoparse"], input=stdin).stdout)
    assert [p["text"] for p in out["places"]] == ["Mosul"]
    assert out["places"][0]["country_code"] == "IQ"
    found = json.loads(runner.invoke(cli, ["geoparse"], input=json.dumps({"id": "h", "text": text})).stdout)
    assert {"Mosul", "Kirkuk"} <= {p["text"] for p in found["places"]}


def test_errors_are_one_line(tmp_path, runner):
    bad = tmp_path / "notadb.db"
    bad.write_text("this is not sqlite")
    r = runner.invoke(cli, ["events", "--db", str(bad)])
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert r.stderr.startswith("Error:")
