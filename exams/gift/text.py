"""GIFT text: escapes, formats and the HTML subset a question may carry, read into plain text and safe HTML."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from .model import _ESCAPABLE, _ESCAPE, _FORMAT, _LINE_BREAK, _SPACES

# --- text ------------------------------------------------------------------------


class _HtmlReader(HTMLParser):
    """Keeps the few tags rich text allows, without attributes; drops the rest.

    Stems are shown as HTML, so nothing from an uploaded file may keep an attribute
    (no links, handlers or styles) or a script.
    """

    ALLOWED = {
        "b": "b",
        "strong": "b",
        "i": "i",
        "em": "i",
        "code": "code",
        "p": "p",
        "ul": "ul",
        "ol": "ol",
        "li": "li",
    }
    DROPPED = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html: list[str] = []
        self.text: list[str] = []
        self.open: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.DROPPED:
            self.skipping += 1
        elif self.skipping:
            return
        elif tag == "br":
            self.html.append("<br/>")
            self.text.append(" ")
        elif tag in self.ALLOWED:
            name = self.ALLOWED[tag]
            self.html.append(f"<{name}>")
            self.open.append(name)
            if name in ("p", "li"):
                self.text.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag == "br" and not self.skipping:
            self.html.append("<br/>")
            self.text.append(" ")

    def handle_endtag(self, tag):
        if tag in self.DROPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        name = self.ALLOWED.get(tag)
        if self.skipping or name is None or name not in self.open:
            return
        while self.open:
            current = self.open.pop()
            self.html.append(f"</{current}>")
            if current == name:
                break

    def handle_data(self, data):
        if not self.skipping:
            self.html.append(html.escape(data, quote=False))
            self.text.append(data)

    def finish(self) -> tuple[str, str]:
        self.close()
        while self.open:
            self.html.append(f"</{self.open.pop()}>")
        return _collapse("".join(self.text)), _collapse("".join(self.html))


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _unescape(raw: str) -> str:
    def replace(match: re.Match) -> str:
        char = match.group(1)
        if char == "n":
            return _LINE_BREAK
        return char if char in _ESCAPABLE else match.group(0)

    return _ESCAPE.sub(replace, raw)


def _text(raw: str, text_format: str) -> tuple[str, str]:
    """GIFT text -> (plain text, inline HTML). A ``[format]`` prefix overrides."""
    prefix = _FORMAT.match(raw)
    if prefix:
        text_format = prefix.group(1).lower()
        raw = raw[prefix.end() :]
    text = _unescape(raw)
    if text_format == "html":
        reader = _HtmlReader()
        reader.feed(text.replace(_LINE_BREAK, "<br/>"))
        plain, markup = reader.finish()
        return plain, markup
    # Markdown and Moodle's auto-format are shown as written: plain text.
    collapsed = _collapse(text)
    plain = _collapse(collapsed.replace(_LINE_BREAK, " "))
    markup = html.escape(collapsed, quote=False).replace(_LINE_BREAK, "<br/>")
    return plain, markup


def _block_html(inline: str) -> str:
    if not inline:
        return ""
    if re.search(r"<(p|ul|ol)>", inline):
        return inline
    return f"<p>{inline}</p>"
