"""A unit's staff registrations imported from Excel: the template, the upload and its preview,
the confirmation (all or nothing), through the import framework."""

from io import BytesIO

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.spreadsheets import import_preview
from core.spreadsheets.import_preview import ImportUploadForm
from core.spreadsheets.styles import XLSX_CONTENT_TYPE
from core.stale_edits import StaleEdit
from units.access import require
from units.documents import deliver

from .. import registration_imports as imports
from .. import registration_services as services
from ..access import can_edit_registration
from ..models import RegistrationWindow
from .ratings import _filename, unit_and_year
from .registration import unit_url

SESSION_KEY = "awards_registration_import"


def _url(name, unit, year) -> str:
    return f"{reverse(name)}?{urlencode({'year': year, 'unit': unit.pk})}"


def registration_template(request):
    unit, year = unit_and_year(request)
    require(can_edit_registration(request.user, unit))
    stream = BytesIO()
    imports.registration_template(unit, year, stream)
    return deliver(request, stream, kind="awards.registration_template",
                   title=_("Registration template, %(unit)s, %(year)s") % {"unit": unit.name,
                                                                           "year": year},
                   filename=_filename(unit, year).replace("xep-loai", "dang-ky"),
                   content_type=XLSX_CONTENT_TYPE)


@require_http_methods(["GET", "POST"])
def registration_import(request):
    unit, year = unit_and_year(request)
    require(can_edit_registration(request.user, unit))
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, unit, year)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if form.is_valid():
        try:
            result = imports.parse(unit, year, form.cleaned_data["file"])
        except imports.ImportFileError as error:
            form.add_error("file", error)
        else:
            return _preview(request, result)
    return render(request, "awards/registration_import.html", {
        "form": form, "unit": unit, "year": year,
        "template_url": _url("awards:registration_template", unit, year),
        "page_url": unit_url(unit, year)})


def _preview(request, result):
    confirm = import_preview.keep(request, SESSION_KEY, result, unit=result.unit.pk,
                                  year=result.year)
    return render(request, "awards/registration_import_preview.html", {
        "result": result, "counts": result.counts(), "confirm": confirm, "unit": result.unit,
        "year": result.year, "import_url": _url("awards:registration_import", result.unit,
                                                result.year),
        "page_url": unit_url(result.unit, result.year)})


def _confirm(request, unit, year):
    rows = import_preview.kept_rows(request, SESSION_KEY, unit=unit.pk, year=year)
    import_url = _url("awards:registration_import", unit, year)
    if rows is None:
        messages.error(request, import_preview.EXPIRED)
        return redirect(import_url)
    result = imports.RegistrationImport.from_plain(unit, year, rows)
    if result.has_errors:
        messages.error(request, _("The staff or the registrations changed since the preview; "
                                  "nothing was saved. Correct the file and upload it again."))
        return _preview(request, result)
    window = RegistrationWindow.objects.filter(year=year).first()
    if window is None:
        messages.error(request, _("Registration for %(year)s is not open.") % {"year": year})
        return redirect(import_url)
    current = services.registration_of(unit, window)
    try:
        services.save_registration(unit=unit, window=window, user=request.user,
                                   expected_version=current.version if current else 1,
                                   titles=result.titles(), action="registration.import")
    except (services.RegistrationError, StaleEdit) as error:
        messages.error(request, getattr(error, "message", StaleEdit.message))
        return redirect(import_url)
    import_preview.forget(request, SESSION_KEY)
    messages.success(request, _("The import was saved: %(count)s registrations changed.")
                     % {"count": result.changes})
    return redirect(unit_url(unit, year))
