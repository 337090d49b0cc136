"""The staff import from Excel (units/staff_import.py): template, upload, preview, confirm."""

from io import BytesIO

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.spreadsheets import import_preview
from core.spreadsheets.import_preview import ImportUploadForm
from core.spreadsheets.styles import XLSX_CONTENT_TYPE

from .. import organisation_import, staff_import
from ..access import can_manage_organisation, require
from ..documents import attachment

SESSION_KEY = "units_staff_import"


def staff_template(request):
    """The empty template (header row only): nothing of anyone's data, so not kept."""
    require(can_manage_organisation(request.user))
    stream = BytesIO()
    staff_import.staff_template(stream)
    stream.seek(0)
    return attachment(stream, "mau-danh-sach-can-bo.xlsx", XLSX_CONTENT_TYPE)


def staff_import_page(request):
    require(can_manage_organisation(request.user))
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if form.is_valid():
        try:
            result = staff_import.parse(form.cleaned_data["file"])
        except staff_import.ImportFileError as error:
            form.add_error("file", error)
        else:
            return _preview(request, result)
    return render(request, "units/staff_import.html", {"form": form})


def _preview(request, result):
    confirm = import_preview.keep(request, SESSION_KEY, result)
    return render(request, "units/staff_import_preview.html", {
        "result": result, "counts": result.counts(), "confirm": confirm,
        "import_url": reverse("units:staff_import")})


def _confirm(request):
    rows = import_preview.kept_rows(request, SESSION_KEY)
    if rows is None:
        messages.error(request, import_preview.EXPIRED)
        return redirect("units:staff_import")
    result = staff_import.StaffImport.from_plain(rows)
    if result.has_errors:
        messages.error(request, _("The staff or the units changed since the preview; nothing "
                                  "was saved. Correct the file and upload it again."))
        return _preview(request, result)
    counts = staff_import.write(result, user=request.user)
    import_preview.forget(request, SESSION_KEY)
    messages.success(request, _("The import was saved: %(added)s people added, %(updated)s "
                                "updated.") % counts)
    return redirect("units:organisation")


UNITS_SESSION_KEY = "units_organisation_import"


def units_template(request):
    require(can_manage_organisation(request.user))
    stream = BytesIO()
    organisation_import.units_template(stream)
    stream.seek(0)
    return attachment(stream, "mau-danh-sach-don-vi.xlsx", XLSX_CONTENT_TYPE)


def units_import_page(request):
    """The organisation workbook: the same upload, preview and confirmation as the staff's."""
    require(can_manage_organisation(request.user))
    if request.method == "POST" and "token" in request.POST:
        rows = import_preview.kept_rows(request, UNITS_SESSION_KEY)
        if rows is None:
            messages.error(request, import_preview.EXPIRED)
            return redirect("units:units_import")
        result = organisation_import.UnitImport.from_plain(rows)
        if result.has_errors:
            messages.error(request, _("The units changed since the preview; nothing was saved. "
                                      "Correct the file and upload it again."))
            return _units_preview(request, result)
        counts = organisation_import.write(result, user=request.user)
        import_preview.forget(request, UNITS_SESSION_KEY)
        messages.success(request, _("The import was saved: %(added)s units added, %(updated)s "
                                    "updated.") % counts)
        return redirect("units:organisation")
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if form.is_valid():
        try:
            result = organisation_import.parse(form.cleaned_data["file"])
        except organisation_import.ImportFileError as error:
            form.add_error("file", error)
        else:
            return _units_preview(request, result)
    return render(request, "units/units_import.html", {"form": form})


def _units_preview(request, result):
    confirm = import_preview.keep(request, UNITS_SESSION_KEY, result)
    return render(request, "units/units_import_preview.html", {
        "result": result, "counts": result.counts(), "confirm": confirm,
        "import_url": reverse("units:units_import")})
