"""resolve.layout: heading lines and entry breaks of live blogs, round-ups and sitreps."""
from __future__ import annotations

from eventcoder.resolve.layout import breaks, heading_between, headings, in_heading, section_end
from eventcoder.vocab import Article

TEXT = """Weekly update: fighting in the north

Gao region
On 3 May, gunmen killed four traders near Gao.
- On 4 May, a bomb hit a bus near Ansongo
18:40 - The army says its troops repelled two attacks near Menaka since the morning. Nobody was killed.
Highlights
Last line of the report"""


def _lines_at(spans):
    return [TEXT[a:b] for a, b in spans]


def test_headings_are_short_unpunctuated_lines_with_text_under_them():
    art = Article(id="t", text=TEXT)
    assert _lines_at(headings(art)) == ["Weekly update: fighting in the north", "Gao region", "Highlights"]


def test_breaks_add_timestamped_entries():
    art = Article(id="t", text=TEXT)
    starts = breaks(art)
    assert TEXT.index("18:40") in starts and TEXT.index("Gao region") in starts
    assert TEXT.index("On 3 May") not in starts  # a dated item is not a heading
    assert TEXT.index("- On 4 May") not in starts


def test_offsets_and_sections():
    art = Article(id="t", text=TEXT)
    spans = headings(art)
    assert in_heading(TEXT.index("Gao region") + 2, spans) and not in_heading(TEXT.index("gunmen"), spans)
    assert heading_between(TEXT.index("gunmen"), TEXT.index("Nobody"), breaks(art))
    assert not heading_between(TEXT.index("The army"), TEXT.index("Nobody"), breaks(art))
    assert section_end(TEXT.index("gunmen"), spans, len(TEXT)) == TEXT.index("Highlights")


def test_a_dateline_is_not_a_heading():
    text = "GAO, Mali\nGunmen killed four traders on Monday.\nThe army said it was searching for them."
    art = Article(id="t", text=text, body_start=len("GAO, Mali\n"))
    assert headings(art) == []
