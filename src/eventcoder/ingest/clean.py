"""Text cleaning: whitespace, Unicode NFC, repeated captions, boilerplate lines."""
from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

from eventcoder.errors import DataFileError

# Spaces that are not plain spaces, and invisible characters that break matching.
_ODD_SPACE = re.compile(r"[\t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r" {2,}")
# A hard-wrapped line ends without closing punctuation and the next line
# continues the sentence in lower case.
_OPEN_END = re.compile(r"[^.!?:;\"'\u201d\u2019)\]]$")
_CONTINUES = re.compile(r"^[a-z0-9(]")
MIN_REPEAT_LEN = 20


@functools.cache
def boilerplate_patterns() -> tuple[re.Pattern[str], ...]:
    """The boilerplate regexes from data/boilerplate.txt, compiled once."""
    source = resources.files("eventcoder").joinpath("data", "boilerplate.txt")
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataFileError(f"cannot read data/boilerplate.txt: {exc}") from exc
    patterns = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            patterns.append(re.compile(line.strip(), re.IGNORECASE))
        except re.error as exc:
            raise DataFileError(f"data/boilerplate.txt line {number}: bad regex: {exc}") from exc
    return tuple(patterns)


def is_boilerplate(line: str) -> bool:
    """True when a whole line is boilerplate (share buttons, ads, 'Read more:')."""
    return any(p.fullmatch(line) for p in boilerplate_patterns())


def normalise_line(line: str) -> str:
    """One line with odd spaces made plain, runs collapsed and ends stripped."""
    line = _INVISIBLE.sub("", line)
    return _SPACES.sub(" ", _ODD_SPACE.sub(" ", line)).strip()


def unwrap_blocks(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines of one sentence; blank lines end a paragraph."""
    out: list[str] = []
    joinable = False
    for line in lines:
        if not line:
            joinable = False
            continue
        if joinable and out and _OPEN_END.search(out[-1]) and _CONTINUES.match(line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        joinable = True
    return out


def drop_repeats_and_boilerplate(lines: list[str]) -> list[str]:
    """Drop boilerplate lines and later copies of a long line (a caption printed twice)."""
    seen: set[str] = set()
    kept = []
    for line in lines:
        if is_boilerplate(line):
            continue
        if len(line) >= MIN_REPEAT_LEN:
            if line in seen:
                continue
            seen.add(line)
        kept.append(line)
    return kept


def clean_text(text: str) -> str:
    """Normalised text: NFC, tidy whitespace, one '\\n' between paragraphs, no boilerplate."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    lines = unwrap_blocks([normalise_line(line) for line in text.split("\n")])
    return "\n".join(drop_repeats_and_boilerplate(lines))
