"""What a browser would send back: the fields of a page's own POST form, as rendered."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.data = action, False, {}
        self.select = self.textarea = None
        self.select_first = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = ((attrs.get("method") or "").lower() == "post"
                           and (attrs.get("action") or self.action) == self.action)
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file", "reset"):
                self.data[name] = [attrs.get("value") or ""]
        elif tag == "select" and name:
            self.select = name
            self.multiple = "multiple" in attrs
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.select_first.setdefault(self.select, value)
            if "selected" in attrs:
                self.data.setdefault(self.select, []).append(value)
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            if self.select not in self.data and not self.multiple:
                self.data[self.select] = [self.select_first.get(self.select, "")]
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data.lstrip("\n") if not self.data[
                self.textarea][0] else data


def form_data(html, action):
    """{name: [values]} of the POST form(s) on the page that submit to `action`."""
    reader = _FormReader(action)
    reader.feed(html)
    data = reader.data
    data.pop("csrfmiddlewaretoken", None)
    return data
