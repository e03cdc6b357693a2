"""Synthetic GeoNames dumps in the documented file formats, for load benchmarks and tests.

Writes ``allCountries.txt`` (19 tab-separated columns: geonameid, name, asciiname, alternatenames,
latitude, longitude, feature class, feature code, country code, cc2, admin1..admin4, population,
elevation, dem, timezone, modification date), ``alternateNamesV2.txt`` (10 columns: alternateNameId,
geonameid, isolanguage, alternate name, isPreferredName, isShortName, isColloquial, isHistoric, from, to),
``admin1CodesASCII.txt`` and ``admin2Codes.txt``. Names are made up from syllables (diacritics, "Al-"
prefixes, Arabic/Cyrillic/CJK alternates, a few very long alternatenames lists); the mix of feature
classes and of empty fields follows the real dump's shape, not its content. Deterministic for a seed.

Importable (``write_dump``, ``geoname_row``) and runnable:
``python benchmarks/geonames_synth.py DIR --rows 1000000``.
"""
from __future__ import annotations

import argparse
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

# Feature classes with their share of rows (P/H/T/S about 72%) and a few codes each.
CLASSES = {"P": (30, ("PPL", "PPL", "PPL", "PPLX", "PPLA2", "PPLA", "PPLL", "PPLQ")),
           "H": (16, ("STM", "STM", "WAD", "LK", "SPNG", "WLL", "RSV")),
           "T": (13, ("MT", "MT", "HLL", "PK", "VAL", "ISL", "PASS", "MTS")),
           "S": (13, ("BLDG", "SCH", "MSQE", "CH", "FRM", "AIRP", "HTL", "CMP")),
           "A": (8, ("ADM4", "ADM3", "ADM2", "ADMD")),
           "L": (10, ("LCTY", "AREA", "RGN", "PRK")),
           "R": (4, ("RD", "RDJCT", "TNL")),
           "V": (4, ("FRST", "GRVO", "SCRB")),
           "U": (2, ("SMU", "TRGU", "RDGU"))}
# Countries with their share of rows and timezone; admin1 codes are "01".."NN" as GeoNames numbers many.
COUNTRIES = {"US": (20, "America/Chicago", 51), "CN": (8, "Asia/Shanghai", 31), "IN": (8, "Asia/Kolkata", 36),
             "RU": (6, "Europe/Moscow", 83), "BR": (5, "America/Sao_Paulo", 27), "MX": (5, "America/Mexico_City", 32),
             "FR": (5, "Europe/Paris", 13), "NG": (4, "Africa/Lagos", 37), "IQ": (4, "Asia/Baghdad", 19),
             "SY": (4, "Asia/Damascus", 14), "UA": (4, "Europe/Kyiv", 27), "AF": (4, "Asia/Kabul", 34),
             "YE": (4, "Asia/Aden", 22), "SD": (4, "Africa/Khartoum", 18), "CD": (5, "Africa/Kinshasa", 26)}
_SYLLABLES = ("ba", "bu", "da", "dar", "el", "far", "gha", "ha", "jab", "kar", "kha", "lak", "ma", "mak", "na",
              "qa", "qar", "ra", "sa", "sha", "ta", "tal", "ur", "wa", "ya", "za", "zor", "mo", "vi", "len",
              "berg", "ton", "ville", "ro", "ka", "ni", "ov", "ski", "pur", "abad", "stan", "ek", "ol", "ir")
_DIACRITIC = str.maketrans({"a": "á", "e": "é", "o": "ö", "u": "ü", "i": "î", "s": "ş", "c": "ç", "n": "ñ"})
_PREFIXES = ("Al-", "al ", "Ad-", "Ash ", "Tall ", "Jabal ", "Wadi ", "Ras ", "Bir ", "Kafr ", "Saint-", "New ")
_SCRIPTS = ("قرية {}", "Деревня {}", "村{}", "כפר {}", "χωριό {}")
_FIRST_ID, _ID_STEP = 20_000_000, 3  # ids grow with gaps, as in the real dump
_ALT_LANGS = ("link", "link", "wkdt", "post", "en", "en", "ar", "ru", "fr", "de", "", "", "es", "iata", "abbr")


@dataclass(frozen=True)
class DumpInfo:
    """What ``write_dump`` wrote: paths and row counts."""

    all_countries: Path
    alternate_names: Path
    admin1: Path
    admin2: Path
    rows: int
    alternate_rows: int


def _word(rng: random.Random) -> str:
    """One made-up name word of 2-4 syllables."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def make_name(rng: random.Random) -> str:
    """A made-up place name: one or two words, sometimes with diacritics or an Arabic article."""
    name = _word(rng) if rng.random() < 0.7 else f"{_word(rng)} {_word(rng)}"
    if rng.random() < 0.15:
        name = name.translate(_DIACRITIC)
    if rng.random() < 0.12:
        name = rng.choice(_PREFIXES) + name
    return name


def _alternates(rng: random.Random, name: str) -> list[str]:
    """The alternatenames column: empty for most rows, a few spellings, or (0.5%) hundreds of names."""
    r = rng.random()
    if r < 0.7:
        return []
    count = rng.randint(1, 5) if r < 0.95 else rng.randint(5, 30) if r < 0.995 else rng.randint(100, 400)
    out = []
    for _ in range(count):
        k = rng.random()
        out.append(rng.choice(_SCRIPTS).format(name) if k < 0.3 else name.lower() if k < 0.35
                   else f"{name} {rng.choice(('District', 'Village', 'Qada', 'Station'))}" if k < 0.5
                   else make_name(rng) if k < 0.8 else name.translate(_DIACRITIC))
    return out


def _weighted(table: dict) -> tuple[list, list]:
    """Keys and weights of a {key: (weight, ...)} table, for ``random.choices``."""
    return list(table), [v[0] for v in table.values()]


_CLASS_KEYS, _CLASS_WEIGHTS = _weighted(CLASSES)
_CC_KEYS, _CC_WEIGHTS = _weighted(COUNTRIES)


def geoname_row(rng: random.Random, gid: int) -> list[str]:
    """One allCountries row (19 fields as strings), made up but shaped like the real ones."""
    fclass = rng.choices(_CLASS_KEYS, _CLASS_WEIGHTS)[0]
    cc = rng.choices(_CC_KEYS, _CC_WEIGHTS)[0]
    _, tz, n_admin1 = COUNTRIES[cc]
    name = make_name(rng)
    asc = name.translate(str.maketrans("áéöüîşçñ", "aeouiscn")).replace("-", " ") if rng.random() < 0.97 else ""
    admin1 = f"{rng.randint(1, n_admin1):02d}" if rng.random() < 0.95 else ""
    admin2 = str(rng.randint(1, 40) + 100 * int(admin1 or 0)) if admin1 and rng.random() < 0.6 else ""
    pop = str(rng.choice((rng.randint(100, 5000), rng.randint(5000, 2_000_000)))) if fclass == "P" and \
        rng.random() < 0.3 else "0"
    return [str(gid), name, asc, ",".join(_alternates(rng, name)),
            f"{rng.uniform(-60, 70):.5f}", f"{rng.uniform(-180, 180):.5f}", fclass,
            rng.choice(CLASSES[fclass][1]), cc, "" if rng.random() < 0.98 else "XK,RS", admin1, admin2,
            "" if rng.random() < 0.9 else str(rng.randint(1, 999)), "", pop,
            "" if rng.random() < 0.85 else str(rng.randint(-50, 4000)),
            str(rng.choice((rng.randint(-20, 4000), -9999))),
            tz, f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"]


def alternate_row(rng: random.Random, alt_id: int, rows: int) -> list[str]:
    """One alternateNamesV2 row (10 fields) for one of the ``rows`` places (1 in 20 names an unknown id)."""
    lang = rng.choice(_ALT_LANGS)
    name = (f"https://en.wikipedia.org/wiki/{_word(rng)}" if lang == "link" else f"Q{rng.randint(1, 10**8)}"
            if lang == "wkdt" else str(rng.randint(10000, 99999)) if lang == "post" else
            _word(rng).upper()[:3] if lang in ("iata", "abbr") else rng.choice(_SCRIPTS).format(_word(rng))
            if lang in ("ar", "ru") else make_name(rng))
    flag = lambda p: "1" if rng.random() < p else ""  # noqa: E731 - GeoNames leaves false flags empty
    gid = _FIRST_ID + rng.randrange(rows) * _ID_STEP + (rng.random() < 0.05)  # off the id grid: unknown place
    return [str(alt_id), str(gid), lang, name, flag(0.05), flag(0.03), flag(0.01), flag(0.02), "", ""]


def _write_rows(path: Path, rows, chunk: int = 10_000) -> None:
    """Write tab-separated rows with LF line ends, in chunks."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        buf = []
        for row in rows:
            buf.append("\t".join(row))
            if len(buf) >= chunk:
                fh.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            fh.write("\n".join(buf) + "\n")


def write_dump(directory: Path, rows: int, *, alternate_ratio: float = 1.4, seed: int = 7) -> DumpInfo:
    """Write the four GeoNames files for ``rows`` geoname rows (and ``alternate_ratio`` x as many alternate
    names, as in the real dump) into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    info = DumpInfo(directory / "allCountries.txt", directory / "alternateNamesV2.txt",
                    directory / "admin1CodesASCII.txt", directory / "admin2Codes.txt",
                    rows, int(rows * alternate_ratio))
    admin1 = [[f"{cc}.{i:02d}", n := make_name(rng), n, str(10_000_000 + k * 100 + i)]
              for k, (cc, (_, _, count)) in enumerate(COUNTRIES.items()) for i in range(1, count + 1)]
    _write_rows(info.admin1, admin1)
    _write_rows(info.admin2, ([f"{code}.{int(code[-2:]) * 100 + j}", n := make_name(rng), n, ""]
                              for code, *_ in admin1 for j in range(1, 41)))
    # ADM1 rows for every admin1 code come first, then the rest.
    head = [[gid, name, name, "", "33.0", "44.0", "A", "ADM1", code[:2], "", code[3:], "", "", "", "0", "", "100",
             COUNTRIES[code[:2]][1], "2024-01-01"] for code, name, _, gid in admin1]
    _write_rows(info.all_countries, itertools.chain(head, (geoname_row(rng, _FIRST_ID + i * _ID_STEP)
                                                           for i in range(rows - len(head)))))
    _write_rows(info.alternate_names, (alternate_row(rng, i + 1, rows) for i in range(info.alternate_rows)))
    return info


def main() -> None:
    """Write a synthetic dump into a directory."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("directory", type=Path)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--alternate-ratio", type=float, default=1.4)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    info = write_dump(args.directory, args.rows, alternate_ratio=args.alternate_ratio, seed=args.seed)
    print(info)


if __name__ == "__main__":
    main()
