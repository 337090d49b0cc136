"""The staff and the units imported from Excel (units/staff_import.py,
units/organisation_import.py): templates, and the upload, preview and confirmation of the
import flow every import shares (core.spreadsheets.import_preview)."""

from io import BytesIO

from django.urls import reverse
from django.utils.translation import gettext as _

from core.spreadsheets.import_preview import ImportFlow, run_import
from core.spreadsheets.styles import XLSX_CONTENT_TYPE

from .. import organisation_import, staff_import
from ..access import can_manage_organisation, require
from ..documents import attachment


def staff_template(request):
    """The empty template (header row only): nothing of anyone's data, so not kept."""
    require(can_manage_organisation(request.user))
    stream = BytesIO()
    staff_import.staff_template(stream)
    stream.seek(0)
    return attachment(stream, "mau-danh-sach-can-bo.xlsx", XLSX_CONTENT_TYPE)


def staff_import_page(request):
    require(can_manage_organisation(request.user))
    return run_import(request, ImportFlow(
        session_key="units_staff_import", parse=staff_import.parse,
        recheck=staff_import.StaffImport.from_plain, save=_save_staff,
        changed=_("The staff or the units changed since the preview; nothing was saved. "
                  "Correct the file and upload it again."),
        form_template="units/staff_import.html",
        preview_template="units/staff_import_preview.html",
        import_url=reverse("units:staff_import"), done_url=reverse("units:organisation")))


def _save_staff(result, user) -> str:
    return _("The import was saved: %(added)s people added, %(updated)s updated.") \
        % staff_import.write(result, user=user)


def units_template(request):
    require(can_manage_organisation(request.user))
    stream = BytesIO()
    organisation_import.units_template(stream)
    stream.seek(0)
    return attachment(stream, "mau-danh-sach-don-vi.xlsx", XLSX_CONTENT_TYPE)


def units_import_page(request):
    """The organisation workbook: the same upload, preview and confirmation as the staff's."""
    require(can_manage_organisation(request.user))
    return run_import(request, ImportFlow(
        session_key="units_organisation_import", parse=organisation_import.parse,
        recheck=organisation_import.UnitImport.from_plain, save=_save_units,
        changed=_("The units changed since the preview; nothing was saved. Correct the file "
                  "and upload it again."),
        form_template="units/units_import.html",
        preview_template="units/units_import_preview.html",
        import_url=reverse("units:units_import"), done_url=reverse("units:organisation")))


def _save_units(result, user) -> str:
    return _("The import was saved: %(added)s units added, %(updated)s updated.") \
        % organisation_import.write(result, user=user)
