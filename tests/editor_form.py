"""An admin editor's form as the browser would post it, read from the page."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, str] = {}
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        name = attrs.get("name")
        if not self.inside:
            return
        if tag == "option":
            if self.select and "selected" in attrs:
                self.data[self.select] = attrs.get("value") or ""
        elif not name:
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind == "submit" or (
                kind in ("checkbox", "radio") and "checked" not in attrs
            ):
                return
            self.data[name] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = name
            self.data[name] = ""
        elif tag == "select":
            self.select = name
            self.data.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data


def editor_form(html: str, form_id: str = "page-edit-form") -> dict[str, str]:
    """The named fields of the form ``form_id`` with the values the page gives."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.data
