"""Every URL the portal answers, found by walking the resolver (never a hand-written list).

A new page is tried by the security tests the moment it is added to a urls.py.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
GROUP = re.compile(r"\(\?P<(\w+)>([^)]*)\)")


@dataclass(frozen=True)
class Route:
    parts: tuple  # the pattern of each resolver on the way, then the view's
    namespace: str
    name: str | None

    @property
    def label(self):
        return f"{self.namespace}:{self.name}" if self.namespace else (self.name or self.route)

    @property
    def route(self):
        return "".join(str(p) for p in self.parts)

    @property
    def kinds(self):
        """{parameter: converter or regex} of every parameter the URL takes."""
        found = {}
        for part in self.parts:
            if isinstance(part, RoutePattern):
                found.update({name: kind or "str" for kind, name in CONVERTER.findall(str(part))})
            elif isinstance(part, RegexPattern):
                found.update(dict(GROUP.findall(str(part))))
        return found

    @property
    def takes_object(self):
        return any(kind in ("int", "path") or kind == r"\d+" for kind in self.kinds.values())

    def url(self, pk=1, text="x", **values):
        """The URL with each parameter filled: integers (and admin's object ids) with `pk`,
        a regex alternation with its first choice, anything else with `text`."""
        out = []
        for part in self.parts:
            if isinstance(part, RoutePattern):
                out.append(CONVERTER.sub(
                    lambda m: str(values.get(m[2], pk if _is_id(m[1], m[2]) else text)),
                    str(part)))
            else:
                regex = GROUP.sub(lambda m: str(values.get(m[1], _regex_value(m[2], pk, text))),
                                  str(part))
                out.append(regex.lstrip("^").rstrip("$").replace(r"\Z", ""))
        return "/" + "".join(out)


def _is_id(converter, name):
    # Admin's `<id>` (a user's password page) is an object id without a converter.
    return converter in ("int", "path") or name in ("id", "pk", "object_id")


def _regex_value(regex, pk, text):
    if regex == r"\d+":
        return pk
    if re.fullmatch(r"[\w|-]+", regex):
        return regex.split("|")[0]
    return text


def _walk(patterns, parts=(), namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if entry.namespace and namespace:
                inner = f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, parts + (entry.pattern,), inner)
        elif isinstance(entry, URLPattern):
            yield Route(parts + (entry.pattern,), namespace, entry.name)


def routes():
    return list(_walk(get_resolver().url_patterns))
