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

from django.utils.translation import gettext_lazy


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


# The placeholders of the Decree 30 header and signature block that every Word document kind
# fills (name -> what it holds, shown on the upload page); each kind adds its own.
LETTERHEAD = {
    "co_quan_chu_quan": gettext_lazy("The parent agency (e.g. UBND TỈNH …), as printed."),
    "co_quan": gettext_lazy("The issuing agency (SỞ GIÁO DỤC VÀ ĐÀO TẠO), as printed."),
    "so_hieu": gettext_lazy("The document's number and symbol (1802/QĐ-SGDĐT)."),
    "dia_danh": gettext_lazy("The place before the date."),
    "ngay_ky": gettext_lazy("The date in words: “ngày 04 tháng 01 năm 2026”."),
    "ngay": gettext_lazy("The date as dd/mm/yyyy (empty while unsigned)."),
    "tieu_de": gettext_lazy("The document's title (QUYẾT ĐỊNH, BÁO CÁO, TỜ TRÌNH…)."),
    "trich_yeu": gettext_lazy("The subject line under the title."),
    "quyen_han_ky": gettext_lazy("The lines above the signature (KT. GIÁM ĐỐC, PHÓ GIÁM ĐỐC), "
                                 "a list."),
    "nguoi_ky": gettext_lazy("The signer's full name."),
    "chuc_vu_ky": gettext_lazy("The signer's title."),
    "noi_nhan": gettext_lazy("The recipients, a list of lines."),
}
