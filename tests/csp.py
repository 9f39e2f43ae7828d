"""What a strict Content-Security-Policy demands of a page, checked on its HTML.

A browser enforces the header; these checks find, without a browser, the markup
that the strict policy would block (so it would silently stop working): inline
scripts without the request's nonce, inline event handlers, ``javascript:`` URLs,
``style`` attributes and ``<style>`` blocks.
"""

from html.parser import HTMLParser

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_strict_policy(response) -> None:
    policy = directives(response)
    assert policy, "no Content-Security-Policy header"
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for name in ("script-src", "style-src"):
        sources = policy[name]
        assert "'unsafe-inline'" not in sources, name
        assert "'unsafe-eval'" not in sources, name
        assert all(s == "'self'" or s.startswith("'nonce-") for s in sources), sources


class _InlineFinder(HTMLParser):
    def __init__(self, nonce: str | None):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> (inline event handler)")
            if name == "style":
                self.found.append(f"<{tag} style={value!r}> (inline style)")
            if name in ("href", "src", "action", "formaction") and (
                (value or "").strip().lower().startswith("javascript:")
            ):
                self.found.append(f"<{tag} {name}={value!r}> (javascript: URL)")
        if tag == "style":
            self.found.append("<style> block")
        if (
            tag == "script"
            and "src" not in attributes
            and (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES
            and (self.nonce is None or attributes.get("nonce") != self.nonce)
        ):
            self.found.append("<script> inline without the request's nonce")


def inline_code(response) -> list[str]:
    """Everything in the page that the strict policy would block."""
    nonce = None
    for source in directives(response).get("script-src", []):
        if source.startswith("'nonce-"):
            nonce = source[len("'nonce-") : -1]
    finder = _InlineFinder(nonce)
    finder.feed(response.content.decode())
    return finder.found
