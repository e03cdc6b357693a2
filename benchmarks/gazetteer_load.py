"""`eventcoder gazetteer load` at GeoNames scale, on a synthetic dump in the real file formats.

    .venv/bin/python benchmarks/gazetteer_load.py                      # 1,000,000 rows (a few minutes)
    .venv/bin/python benchmarks/gazetteer_load.py --rows 12000000      # allCountries size (~2.3 GB of files)
    .venv/bin/python benchmarks/gazetteer_load.py --data DIR           # a real GeoNames download instead

Writes ``allCountries.txt`` (``--rows`` rows), ``alternateNamesV2.txt`` (1.4 x as many, the real ratio),
``admin1CodesASCII.txt`` and ``admin2Codes.txt`` with ``benchmarks/geonames_synth.py`` into a temp
directory, then runs the real CLI (``python -m eventcoder gazetteer load ... --path SCRATCH``) as a
subprocess into a scratch file copied from the default build (``--base default``) or started empty
(``--base empty``). Prints the loader's wall time and CPU time (loader and workers: on a shared machine rows
per CPU second is the steadier number), input rows per second, peak RSS (from ``wait4``: the largest of the
loader and its name-folding workers; and sampled, summed over them), the final file size, then checks that
generated names resolve through ``Gazetteer.lookup`` and that the lookup queries use indexes (``EXPLAIN
QUERY PLAN`` has no ``SCAN``).
Ends with one JSON line. ``--profile FILE`` runs the loader under cProfile (slower; for finding hot spots).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from geonames_synth import write_dump  # noqa: E402  (benchmarks/ is not a package)

from eventcoder.resolve.gazetteer import Gazetteer, default_gazetteer_path  # noqa: E402

_FILES = ("admin1CodesASCII.txt", "admin2Codes.txt", "allCountries.txt", "alternateNamesV2.txt")
# The queries Gazetteer runs for a lookup and a region's seat, with their parameters.
_QUERIES = (("SELECT p.geonameid, n.exact, n.is_primary FROM names n JOIN places p ON p.geonameid = n.geonameid "
             "WHERE n.key = ?", ("x",)),
            ("SELECT p.geonameid FROM places p WHERE p.country_code = ? AND p.feature_code IN ('PPLA', 'PPLC') "
             "AND p.admin1_code = ?", ("IQ", "01")),
            ("SELECT p.geonameid FROM places p WHERE p.geonameid = ?", (1,)))


def _count_rows(path: Path) -> int:
    """Data lines of a file (for ``--data`` runs)."""
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip() and not line.startswith(b"#"))


def _tree_rss(proc: psutil.Process) -> int:
    """Resident bytes of a process and its children (the loader and its name-folding workers)."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass  # a worker that just ended
    return total


def run_loader(files: list[Path], target: Path, empty: bool, profile: Path | None,
               workers: int | None) -> tuple[float, float, int, int]:
    """Run the CLI loader as a child process; (wall seconds, CPU seconds of the loader and its workers, peak RSS
    of its largest process from ``wait4``, peak RSS summed over the loader and its workers, sampled every 0.2 s)."""
    cmd = [sys.executable, *(["-m", "cProfile", "-o", str(profile)] if profile else []), "-m", "eventcoder",
           "gazetteer", "load", *map(str, files), "--path", str(target), *(["--empty"] if empty else []),
           *(["--workers", str(workers)] if workers is not None else []), "--quiet"]
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stderr=err)
        watched, tree_peak = psutil.Process(proc.pid), 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            try:
                tree_peak = max(tree_peak, _tree_rss(watched))
            except psutil.Error:
                pass
            time.sleep(0.2)
        wall = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-3000:]
    if code != 0:
        raise SystemExit(f"loader failed ({code}):\n{tail}")
    cpu = usage.ru_utime + usage.ru_stime  # wait4 counts the loader's reaped workers too
    return wall, cpu, usage.ru_maxrss * 1024, tree_peak  # ru_maxrss is in KiB on Linux


def check_lookups(target: Path, names: list[tuple[str, int]]) -> dict:
    """Look up known (name, geonameid) pairs; time them; check the query plans use indexes."""
    gaz = Gazetteer(target)
    t0 = time.perf_counter()
    hits = [gaz.lookup(name) for name, _ in names]
    per_s = len(names) / (time.perf_counter() - t0)
    found = sum(any(c.geonameid == gid for c in cands) for cands, (_, gid) in zip(hits, names))
    con = gaz._con()
    scans = [f"{sql[:60]}...: {row[3]}" for sql, args in _QUERIES
             for row in con.execute(f"EXPLAIN QUERY PLAN {sql}", args) if row[3].startswith("SCAN")]
    places, names_n = con.execute("SELECT (SELECT count(*) FROM places), (SELECT count(*) FROM names)").fetchone()
    return {"lookups_found": found, "lookups_tried": len(names), "lookups_per_s": round(per_s),
            "candidates_per_lookup": round(sum(map(len, hits)) / max(1, len(hits)), 1),
            "scans": scans, "places": places, "names": names_n}


def sample_names(all_countries: Path, k: int, seed: int = 1) -> list[tuple[str, int]]:
    """(name, geonameid) of ``k`` rows spread over the file (read by seeking, not loading it)."""
    rng, size, out = random.Random(seed), all_countries.stat().st_size, []
    with open(all_countries, "rb") as fh:
        for _ in range(k):
            fh.seek(rng.randrange(size))
            fh.readline()  # finish the partial line
            cols = fh.readline().decode("utf-8").split("\t")
            if len(cols) == 19:
                out.append((cols[1], int(cols[0])))
    return out


def main() -> None:
    """Generate (or take) a dump, load it, report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="allCountries rows to generate")
    ap.add_argument("--data", type=Path, help="load the GeoNames files in this directory instead of generating")
    ap.add_argument("--base", choices=("default", "empty"), default="default",
                    help="start the scratch gazetteer from a copy of the default build, or empty")
    ap.add_argument("--workdir", type=Path, help="where to write the dump and the scratch file (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the dump and the scratch file")
    ap.add_argument("--profile", type=Path, help="write a cProfile of the loader here")
    ap.add_argument("--workers", type=int, help="the loader's --workers (default: its own default)")
    ap.add_argument("--lookups", type=int, default=2000, help="sample names to look up afterwards")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gazload-", dir=args.workdir))
    try:
        if args.data:
            files = [args.data / f for f in _FILES if (args.data / f).exists()]
            rows = sum(_count_rows(f) for f in files)
            print(f"loading {len(files)} files from {args.data}: {rows:,} rows", flush=True)
        else:
            t0 = time.perf_counter()
            info = write_dump(work / "dump", args.rows)
            files = [info.admin1, info.admin2, info.all_countries, info.alternate_names]
            rows = info.rows + info.alternate_rows
            print(f"generated {info.rows:,} geoname rows + {info.alternate_rows:,} alternate names "
                  f"({sum(f.stat().st_size for f in files) / 1e9:.2f} GB) in {time.perf_counter() - t0:.0f}s",
                  flush=True)
        target = work / "scratch.sqlite"
        if args.base == "default":
            base = default_gazetteer_path()
            Gazetteer.open(base)  # builds it when missing
            shutil.copy(base, target)
        wall, cpu, rss, tree_rss = run_loader(files, target, args.base == "empty", args.profile, args.workers)
        all_countries = next(f for f in files if f.name == "allCountries.txt")
        checks = check_lookups(target, sample_names(all_countries, args.lookups))
        result = {"rows": args.rows if not args.data else rows, "input_rows": rows, "base": args.base,
                  "workers": args.workers,
                  "wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "rows_per_s": round(rows / wall),
                  "rows_per_cpu_s": round(rows / cpu),
                  "peak_rss_mb": round(rss / 2**20), "peak_tree_rss_mb": round(tree_rss / 2**20),
                  "file_mb": round(target.stat().st_size / 2**20), **checks}
        print(f"loaded {rows:,} input rows in {wall:.1f}s = {rows / wall:,.0f} rows/s ({cpu:.0f} CPU s: "
              f"{rows / cpu:,.0f} rows per CPU second); peak RSS {rss / 2**20:,.0f} MiB "
              f"(largest process; loader + workers {tree_rss / 2**20:,.0f} MiB); "
              f"file {target.stat().st_size / 2**20:,.0f} MiB ({checks['places']:,} places, {checks['names']:,} names)")
        print(f"lookups: {checks['lookups_found']}/{checks['lookups_tried']} sampled names found, "
              f"{checks['lookups_per_s']:,}/s cold, {checks['candidates_per_lookup']} candidates each; table scans in lookup plans: {checks['scans'] or 'none'}")
        print(json.dumps(result))
        if checks["scans"]:
            raise SystemExit("a lookup query scans a table")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
