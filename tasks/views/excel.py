"""Excel pages of a campaign: the progress export and the import of assignments.

The import is two steps. The upload is read and checked, and a preview is shown; nothing is
written. Only the checked rows' plain values (ids, codes, numbers, ISO dates) are kept in the
session under a random token, never the file; on "Save the data" they are checked again against
the database as it is then, and written in one transaction.
"""

from io import BytesIO
from tempfile import SpooledTemporaryFile

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from campaigns.access import get_campaign_for
from core.spreadsheets import import_preview
from core.spreadsheets.import_preview import ImportUploadForm
from core.spreadsheets.styles import XLSX_CONTENT_TYPE, ascii_filename
from units.access import can_view_every_unit, require
from units.documents import deliver

from .. import imports
from ..exports import write_progress_workbook

SESSION_KEY = "tasks_import"


def progress_export(request, pk):
    campaign = get_campaign_for(request.user, pk)
    require(can_view_every_unit(request.user))
    # Kept in memory up to 8 MB, then on disk: a large plan never holds a worker's memory.
    stream = SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write_progress_workbook(campaign, stream)
    return deliver(request, stream, kind="tasks.progress",
                   title=_("Progress of plan %(code)s") % {"code": campaign.code},
                   filename=ascii_filename("tien-do", campaign), content_type=XLSX_CONTENT_TYPE)


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
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, campaign)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if form.is_valid():
        try:
            result = imports.parse(campaign, form.cleaned_data["file"])
        except imports.ImportFileError as error:
            form.add_error("file", error)
        else:
            return _preview(request, campaign, result)
    return render(request, "tasks/import_form.html", {"form": form, "campaign": campaign})


def _preview(request, campaign, result):
    """Show what the import would do; keep the rows for confirmation only if all are valid."""
    confirm = import_preview.keep(request, SESSION_KEY, result, campaign=campaign.pk)
    return render(request, "tasks/import_preview.html", {
        "campaign": campaign, "result": result, "counts": result.counts(), "confirm": confirm,
        "import_url": reverse("tasks:assignment_import", args=[campaign.pk]),
    })


def _confirm(request, campaign):
    rows = import_preview.kept_rows(request, SESSION_KEY, campaign=campaign.pk)
    if rows is None:
        messages.error(request, import_preview.EXPIRED)
        return redirect("tasks:assignment_import", campaign.pk)
    result = imports.ImportResult.from_plain(campaign, rows)
    if result.has_errors:
        messages.error(request, _("Tasks or units changed since the preview; nothing was saved. "
                                  "Correct the rows marked in red and upload the file again."))
        return _preview(request, campaign, result)
    try:
        counts = imports.apply(result, request.user)
    except IntegrityError:
        messages.error(request, _("Someone changed these assignments at the same time; nothing "
                                  "was saved. Upload the file again."))
        return redirect("tasks:assignment_import", campaign.pk)
    import_preview.forget(request, SESSION_KEY)
    messages.success(request, _("The import was saved: %(created)s assignments added, "
                                "%(updated)s updated, %(unchanged)s unchanged.") % counts)
    return redirect(campaign)
