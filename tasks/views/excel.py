"""Excel pages of a campaign: the progress export and the import of assignments.

The import runs the check-then-confirm flow of every import (core.spreadsheets.import_preview):
the rows kept between preview and confirmation are plain values (ids, codes, numbers, ISO
dates), checked again on "Save the data" and written in one transaction.
"""

from functools import partial
from io import BytesIO

from django.db import IntegrityError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from campaigns.access import get_campaign_for
from core.spreadsheets.import_preview import ImportFlow, ImportRefused, run_import
from core.spreadsheets.styles import XLSX_CONTENT_TYPE, ascii_filename
from units.access import can_view_every_unit, require
from units.documents import deliver, deliver_job

from .. import imports, jobs


def progress_export(request, pk):
    """The workbook at once for a small plan; a large one (more rows than core.jobs'
    DIRECT_ROWS, or `?background=1`) goes to the background worker and its progress page."""
    campaign = get_campaign_for(request.user, pk)
    require(can_view_every_unit(request.user))
    return deliver_job(request, jobs.PROGRESS, {"campaign": campaign.pk},
                       title=_("Progress of plan %(code)s") % {"code": campaign.code},
                       background=request.GET.get("background") == "1")


def import_template_download(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    stream = BytesIO()
    imports.import_template(campaign, stream)
    return deliver(request, stream, kind="tasks.import_template",
                   title=_("Assignment import template of plan %(code)s")
                   % {"code": campaign.code},
                   filename=ascii_filename("mau-phan-cong", campaign),
                   content_type=XLSX_CONTENT_TYPE)


@require_http_methods(["GET", "POST"])
def assignment_import(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    return run_import(request, ImportFlow(
        session_key="tasks_import", scope={"campaign": campaign.pk},
        parse=partial(imports.parse, campaign),
        recheck=partial(imports.ImportResult.from_plain, campaign),
        save=_save_assignments,
        changed=_("Tasks or units changed since the preview; nothing was saved. Correct the rows "
                  "marked in red and upload the file again."),
        form_template="tasks/import_form.html", preview_template="tasks/import_preview.html",
        import_url=reverse("tasks:assignment_import", args=[campaign.pk]),
        done_url=campaign.get_absolute_url(), context={"campaign": campaign}))


def _save_assignments(result, user) -> str:
    try:
        counts = imports.apply(result, user)
    except IntegrityError:
        raise ImportRefused(_("Someone changed these assignments at the same time; nothing was "
                              "saved. Upload the file again.")) from None
    return _("The import was saved: %(created)s assignments added, %(updated)s updated, "
             "%(unchanged)s unchanged.") % counts
