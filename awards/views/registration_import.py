"""A unit's staff registrations imported from Excel: the template, the upload and its preview,
the confirmation (all or nothing), through the import flow every import shares
(core.spreadsheets.import_preview)."""

from functools import partial
from io import BytesIO

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.spreadsheets.import_preview import ImportFlow, ImportRefused, run_import
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
    return run_import(request, ImportFlow(
        session_key="awards_registration_import", scope={"unit": unit.pk, "year": year},
        parse=partial(imports.parse, unit, year),
        recheck=partial(imports.RegistrationImport.from_plain, unit, year),
        save=_save_registrations,
        changed=_("The staff or the registrations changed since the preview; nothing was "
                  "saved. Correct the file and upload it again."),
        form_template="awards/registration_import.html",
        preview_template="awards/registration_import_preview.html",
        import_url=_url("awards:registration_import", unit, year),
        done_url=unit_url(unit, year),
        context={"unit": unit, "year": year, "page_url": unit_url(unit, year),
                 "template_url": _url("awards:registration_template", unit, year)}))


def _save_registrations(result, user) -> str:
    window = RegistrationWindow.objects.filter(year=result.year).first()
    if window is None:
        raise ImportRefused(_("Registration for %(year)s is not open.") % {"year": result.year})
    current = services.registration_of(result.unit, window)
    try:
        services.save_registration(unit=result.unit, window=window, user=user,
                                   expected_version=current.version if current else 1,
                                   titles=result.titles(), action="registration.import")
    except (services.RegistrationError, StaleEdit) as error:
        raise ImportRefused(getattr(error, "message", StaleEdit.message)) from None
    return _("The import was saved: %(count)s registrations changed.") % {"count": result.changes}
