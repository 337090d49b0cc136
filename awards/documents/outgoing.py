"""The register of outgoing documents (sổ đăng ký văn bản đi, Decree 30/2020, Appendix IV) as
the page lists it, and as a PDF on A4 landscape and an Excel workbook: the rows chosen by the
page's filters (awards/forms_register.py), with each decision's digital signature."""

from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from core.spreadsheets.safe_text import append
from core.spreadsheets.styles import DATETIME_FORMAT
from units import identity
from units.models import OutgoingDocument

from ..access import can_read_register
from ..forms_register import RegisterSearchForm
from ..models import Decision
from ..models_signature import SignedDecision
from . import Built, Kind, layout, pdf_or_workbook

FILTERS = ("q", "kind", "year", "date_from", "date_to", "state")


def search_form(params) -> RegisterSearchForm:
    data = QueryDict(mutable=True)
    for key in FILTERS:
        if params.get(key):
            data[key] = params[key]
    return RegisterSearchForm(data)


def documents(params):
    """The register's rows for these filters, in the register's order (a wrong filter: none)."""
    form = search_form(params)
    rows = OutgoingDocument.objects.all() if form.is_valid() else OutgoingDocument.objects.none()
    return rows.search(**form.filters()).order_by("-issued_on", "-sequence", "-id")


def with_signatures(page) -> list[dict]:
    """Each document with what the register shows beside it: the decision it numbers and its
    digital signature (awards.models_signature), read in two queries for the whole page."""
    documents = list(page)
    decision_type = ContentType.objects.get_for_model(Decision)
    decisions = [d.target_id for d in documents if d.target_type_id == decision_type.pk]
    signed = {s.decision_id: s for s in SignedDecision.objects.filter(
        decision_id__in=decisions).select_related("signed_by__staff_member")}
    rows = []
    for document in documents:
        decision_id = document.target_id if document.target_type_id == decision_type.pk else None
        signature = signed.get(decision_id)
        signer = ""
        if signature is not None:
            staff = getattr(signature.signed_by, "staff_member", None)
            signer = staff.full_name if staff else signature.signed_by.get_username()
        rows.append({"document": document, "decision_id": decision_id,
                     "signature": signature, "signature_by": signer})
    return rows


def signature_text(row) -> str:
    if row["signature"] is None:
        return _("Not signed digitally") if row["decision_id"] else ""
    at = timezone.localtime(row["signature"].signed_at)
    return _("Signed digitally by %(name)s, %(time)s") % {"name": row["signature_by"],
                                                          "time": f"{at:%d/%m/%Y %H:%M}"}


def _signed_cell(line) -> str:
    if line["signature"] is not None:
        return _("Signed digitally: %(name)s") % {"name": line["signature_by"]}
    return _("Not signed digitally") if line["decision_id"] else ""


def clean(params: dict) -> dict:
    form = search_form(params)
    if not form.is_valid():
        raise ValueError(form.errors)
    return {key: params[key] for key in FILTERS if params.get(key)}


def allowed(user, params: dict) -> bool:
    return can_read_register(user)


def rows(params: dict) -> int:
    return documents(params).count()


def context(params: dict) -> dict:
    department = identity.current()
    lines = with_signatures(documents(params).select_related("target_type"))
    for line in lines:
        line["signature_text"] = signature_text(line)
    form = search_form(params)
    form.is_valid()
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return {"agency": department.name, "parent_agency": department.parent_agency,
            "issuing_name": department.issuing_name, "year": year, "lines": lines,
            "printed": timezone.localdate()}


def build(params: dict, fmt: str, progress) -> Built:
    data = context(params)
    progress(20)
    return pdf_or_workbook(data, fmt, progress, kind="register",
                           template="awards/documents/register.html",
                           filename=lambda extension: layout.ascii_name(
                               "so-van-ban-di", data["year"] or "", extension=extension),
                           rows=len(data["lines"]), workbook=workbook)


def workbook(data: dict) -> bytes:
    """One sheet, the register's columns; dates are dates, the header frozen and filtered."""
    book = Workbook(write_only=True)
    columns = [(_("Number and symbol"), 18), (_("Date of the document"), 13),
               (_("Kind of document"), 14), (_("Subject (trích yếu)"), 60),
               (_("Signed by"), 24), (_("Signer's title"), 18), (_("Drafting office"), 10),
               (_("Recipients (nơi nhận)"), 36), (_("State"), 12), (_("Digital signature"), 18),
               (_("Signed digitally at"), 17), (_("Note"), 40)]
    ws = layout.table(book, _("Outgoing documents"), columns, rows=len(data["lines"]))
    for line in data["lines"]:
        document, signature = line["document"], line["signature"]
        signed_at = (timezone.localtime(signature.signed_at).replace(tzinfo=None)
                     if signature else None)
        append(ws, [document.number, layout.date_cell(ws, document.issued_on),
                    str(document.get_kind_display()), document.subject, document.signer_name,
                    document.signer_title, document.office, document.recipients,
                    str(document.get_state_display()), _signed_cell(line),
                    layout.cell(ws, signed_at, DATETIME_FORMAT),
                    document.cancelled_reason])
    return layout.save(book, issuer=data["agency"])


KIND = Kind(title=gettext_lazy("Register of outgoing documents"), clean=clean, allowed=allowed,
            rows=rows, build=build, formats=("pdf", "xlsx"), direct_rows=2000)
