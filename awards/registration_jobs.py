"""The year's registrations workbook as a job of the background worker (core.jobs): every unit
of a province with every registered person (tens of thousands of rows) is written there, never
in a web request; one unit's list, or a small department's, is downloaded at once."""

from tempfile import SpooledTemporaryFile

from django.db.models import Q

from core import jobs
from core.spreadsheets.styles import XLSX_CONTENT_TYPE
from units.models import Unit

from .models import UnitRegistration
from .registration_exports import people_rows, write_registrations

REGISTRATIONS = "awards.registrations"


def export_units(year: int, unit_id: int | None):
    """One unit, or the overview's units: every active one, and any unit closed since that did
    register that year. The caller decided who may have them."""
    if unit_id is not None:
        return Unit.objects.filter(pk=unit_id)
    return Unit.objects.exclude(parent__isnull=True).filter(
        Q(is_active=True) | Q(pk__in=UnitRegistration.objects.filter(year=year)
                              .values("unit_id")))


def _rows(params) -> int:
    units = export_units(params["year"], params["unit"])
    return units.count() + people_rows(params["year"], units).count()


def _build(params, progress) -> jobs.Built:
    units = export_units(params["year"], params["unit"])
    # Kept in memory up to 8 MB, then on disk, while it is written.
    with SpooledTemporaryFile(max_size=8 * 1024 * 1024) as stream:
        people = write_registrations(params["year"], units, stream, progress=progress)
        stream.seek(0)
        return jobs.Built(stream.read(), params["filename"], XLSX_CONTENT_TYPE,
                          units.count() + people)


def register() -> None:
    jobs.register(REGISTRATIONS, jobs.JobKind(rows=_rows, build=_build))
