"""Reading a Django template as the text a person sees: which runs of words are
written straight into the template rather than through ``translate`` or
``blocktranslate``. The template translation check uses it."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Whole regions that hold no words of ours, or hold them translated already.
_OPAQUE = [
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}",
    r"{%\s*verbatim\s*%}.*?{%\s*endverbatim\s*%}",
    r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}",
    r"<script\b.*?</script>",
    r"<style\b.*?</style>",
    r"<!--.*?-->",
    r"{#.*?#}",
]
_TOKEN = re.compile(
    "|".join(
        [f"(?P<opaque{i}>{pattern})" for i, pattern in enumerate(_OPAQUE)]
        + [
            r"(?P<tag>{%.*?%})",
            r"(?P<var>{{.*?}})",
            r"(?P<html><(?:[^>{]|{%.*?%}|{{.*?}}|{(?![%{]))*>)",
            r"(?P<newline>\n)",
            r"(?P<text>[^<{\n]+|[<{])",
        ]
    ),
    re.DOTALL,
)
_ENTITY = re.compile(r"&(?:\w+|#\d+|#x[0-9a-fA-F]+);")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass
class Token:
    kind: str  # "opaque", "tag", "var", "html", "newline" or "text"
    value: str
    start: int


def tokens(source: str) -> list[Token]:
    found = []
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup or "text"
        if kind.startswith("opaque"):
            kind = "opaque"
        found.append(Token(kind, match.group(), match.start()))
    return found


def has_words(text: str) -> bool:
    return bool(_LETTER.search(_ENTITY.sub("", text)))


def runs(source: str, *, lines_apart: bool = False) -> list[list[Token]]:
    """Runs of text and ``{{ variables }}`` between tags: what one sentence is made
    of. ``lines_apart`` ends a run at each line break (plain-text e-mails)."""
    found: list[list[Token]] = []
    current: list[Token] = []
    for token in tokens(source):
        joins = token.kind in ("text", "var") or (
            token.kind == "newline" and not lines_apart
        )
        if joins:
            current.append(token)
            continue
        if current:
            found.append(current)
        current = []
    if current:
        found.append(current)
    return found


def untranslated(source: str, *, lines_apart: bool = False) -> list[str]:
    """The runs with words in them that no translation tag covers."""
    return [
        "".join(t.value for t in run).strip()
        for run in runs(source, lines_apart=lines_apart)
        if has_words("".join(t.value for t in run if t.kind == "text"))
    ]


# Attributes a person reads or hears.
_ATTRIBUTE = re.compile(r'\b(aria-label|title|alt|placeholder)="([^"]*)"')


def untranslated_attributes(source: str) -> list[str]:
    """``aria-label``, ``title``, ``alt`` and ``placeholder`` values with words in
    them written straight into the template."""
    found = []
    for token in tokens(source):
        if token.kind != "html":
            continue
        for name, value in _ATTRIBUTE.findall(token.value):
            bare = re.sub(_OPAQUE[2], "", value, flags=re.DOTALL)
            bare = re.sub(r"{%.*?%}|{{.*?}}", "", bare)
            if has_words(bare):
                found.append(f'{name}="{value}"')
    return found
