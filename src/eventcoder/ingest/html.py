"""HTML to text and metadata: trafilatura for pages, lxml for feed fragments."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from eventcoder.ingest.dates import parse_published

# Below this many characters of extracted text a page is treated as broken
# (truncated download, markup only): "<p>Gunm" is not a report.
MIN_HTML_TEXT = 20

# Meta tags that carry the publication date, most specific first.
_DATE_META = (
    "article:published_time", "og:published_time", "og:article:published_time",
    "datepublished", "date", "pubdate", "publishdate", "publish-date", "publication_date",
    "dc.date.issued", "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote",
           "section", "article", "figcaption", "pre", "dd", "dt")


@dataclass
class HtmlDoc:
    """Main text and metadata of one HTML page."""

    text: str
    title: str | None = None
    published: dt.date | None = None
    publisher: str | None = None
    url: str | None = None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed summaries), one line per block element."""
    if "<" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, "script", "style", "noscript", with_tail=False)
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")  # keep block boundaries as line breaks
    return root.text_content()


def meta_published(tree: lxml.html.HtmlElement) -> dt.date | None:
    """The publication date from <meta>/<time> tags, or None."""
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key and meta.get("content") and key not in metas:
            metas[key] = meta.get("content")
    for key in _DATE_META:
        date = parse_published(metas.get(key))
        if date:
            return date
    for time in tree.iter("time"):
        if (time.get("itemprop") or "").lower() == "datepublished" or time.get("pubdate") is not None:
            return parse_published(time.get("datetime") or time.text_content())
    return None


def _parse_tree(html: str) -> lxml.html.HtmlElement | None:
    """An lxml tree of a page, or None when lxml cannot make one."""
    # Parse the decoded str: bytes would make lxml re-read the page's declared
    # charset; lxml refuses a str that carries an XML encoding declaration.
    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _fallback_text(tree: lxml.html.HtmlElement) -> str:
    """Body text without scripts and navigation, for pages trafilatura rejects as too short."""
    body = tree.find("body")
    root = body if body is not None else tree
    etree.strip_elements(root, "script", "style", "noscript", "nav", "header", "footer",
                         "aside", "form", with_tail=False)
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    return root.text_content()


def _drop_title_line(text: str, title: str | None) -> str:
    """Drop a first line that repeats the title, so a dateline starts the text."""
    first, _, rest = text.partition("\n")
    if title and rest and first.strip().casefold() == title.strip().casefold():
        return rest
    return text


def extract_html(html: str, url: str | None = None) -> HtmlDoc:
    """Main text (trafilatura, no comments/tables) and title, date, publisher, url of a page."""
    import trafilatura  # slow import: only when HTML turns up

    tree = _parse_tree(html)
    if tree is None:
        return HtmlDoc(text="")
    # Dates come from meta tags first; trafilatura's date search may fall back
    # to dates in the text (event dates), so it is not allowed to search widely.
    doc = trafilatura.bare_extraction(
        html, url=url, include_comments=False, include_tables=False, with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True,
                                "max_date": dt.date.today().isoformat()})
    published = meta_published(tree) or parse_published(doc.date if doc else None)
    title = (doc.title if doc else None) or _title_tag(tree)
    # The site name is the outlet; an author is a person, not a publisher.
    publisher = doc.sitename if doc else None
    text = doc.text if doc and doc.text else _fallback_text(tree)  # mutates tree: last
    # A URL the caller knows (WARC-Target-URI) beats the page's own canonical link.
    return HtmlDoc(_drop_title_line(text, title), title, published, publisher,
                   url or (doc.url if doc else None))


def _title_tag(tree: lxml.html.HtmlElement) -> str | None:
    """The <title> text, or None."""
    node = tree.find(".//title")
    text = node.text_content().strip() if node is not None else ""
    return text or None
