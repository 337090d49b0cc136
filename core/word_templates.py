"""The department's own Word templates, seen from any app.

The templates are stored by the awards app (awards.models.WordTemplate, uploaded and checked on
its page, /awards/documents/word-templates/). Apps flow one way (units <- campaigns <- … <-
awards), so an app left of awards — campaigns, for the plan — cannot import that model. Rather
than moving the model and its files (a migration across apps for a table of a few rows), the
meeting point is here, in core, as units.documents.document_made is for "My documents":

- an app with a Word document of its own registers its kind here (`register_kind`: the title,
  the named placeholders with what each holds, sample values for the upload check);
- awards, which keeps the files, registers the function that reads a kind's uploaded template
  (`set_source`, in its AppConfig.ready);
- the app asks `uploaded(kind)` when it builds its .docx, and `fill`s the template.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateKind:
    title: object  # lazy translated name, shown on the upload page
    placeholders: dict  # name -> what it holds (lazy translated)
    sample: Callable[[], dict]  # values filling every placeholder, to check an upload


KINDS: dict[str, TemplateKind] = {}
_source: list = []  # the one function (kind -> bytes | None) that reads stored templates


def register_kind(name: str, kind: TemplateKind) -> None:
    KINDS[name] = kind


def set_source(read: Callable[[str], "bytes | None"]) -> None:
    _source[:] = [read]


def uploaded(kind: str) -> bytes | None:
    """The department's template for `kind` (a .docx), or None: the built-in layout."""
    return _source[0](kind) if _source else None


def fill(source: bytes, context: dict) -> bytes:
    """`source` (a docxtpl template) filled with `context`; unknown names are errors. Jinja
    runs sandboxed: a template reaching for Python's internals (`{{ x.__class__ }}`) is refused,
    not run."""
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    template = DocxTemplate(io.BytesIO(source))
    template.render(context, SandboxedEnvironment(undefined=StrictUndefined), autoescape=True)
    stream = io.BytesIO()
    template.save(stream)
    return stream.getvalue()
