"""Dossiers sent upward (hồ sơ đề nghị): the year's dossiers with their status, building one,
its page (checklist, parts, uploads, the steps of its way) and its downloads."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.stale_edits import StaleEdit
from core.uploads import send_stored
from units.access import require

from .. import services_dossier as services
from ..access import (
    can_download_dossier,
    can_manage_dossiers,
    can_read_nominee_report,
    can_view_dossiers,
    dossiers_visible_to,
    get_dossier_attachment_for,
    get_dossier_for,
)
from ..documents import layout
from ..documents.dossier import pack, reports_pdf
from ..dossier_parts import zip_download
from ..dossiers import candidates, checklist, recipient_for
from ..forms_dossier import (
    AttachmentForm,
    DecideForm,
    DossierCreateForm,
    RecallForm,
    ReturnForm,
    SendForm,
)
from ..models_dossier import AT_UPPER_LEVEL, DossierStatus, Part
from ..services import WorkflowError
from ..years import year_for

STEPS = {"send": SendForm, "return": ReturnForm, "recall": RecallForm, "decide": DecideForm}


def dossiers(request):
    require(can_view_dossiers(request.user))
    year = year_for(request)
    rows = list(dossiers_visible_to(request.user).filter(year=year).select_related("award"))
    manages = can_manage_dossiers(request.user)
    built = {(row.award_id, row.recipient) for row in rows}
    # Awards above the Department with approved nominees and no dossier yet.
    todo = [(award, count, recipient_for(award)) for award, count in candidates(year)
            if (award.pk, recipient_for(award)) not in built] if manages else []
    return render(request, "awards/dossiers.html", {
        "year": year, "rows": rows, "todo": todo, "can": {"manage": manages}})


@require_POST
def dossier_create(request):
    require(can_manage_dossiers(request.user))
    form = DossierCreateForm(request.POST)
    year = request.POST.get("year", "")
    back = f"{reverse('awards:dossiers')}?{urlencode({'year': year})}"
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        dossier = services.create(user=request.user, **form.cleaned_data)
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _("The dossier was built: complete what the checklist names, "
                                "then send it."))
    return redirect("awards:dossier", dossier.pk)


def dossier(request, pk, forms=None, upload=None):
    item = get_dossier_for(request.user, pk)
    found = checklist(item)
    manages = can_manage_dossiers(request.user)
    initial = {"version": item.version}
    forms = forms or {}
    steps = {name: forms.get(name) or cls(initial=initial, prefix=name)
             for name, cls in STEPS.items()}
    steps["return"].fields["parts"].choices = [(p.part, p.label) for p in found.parts]
    reports = {row["pk"]: found.report_of(row["pk"]) for row in found.nominees}
    return render(request, "awards/dossier.html", {
        "dossier": item, "found": found, "steps": steps,
        "upload": upload or AttachmentForm(),
        "nominees": [(row, reports[row["pk"]], found.initiatives.get(row["staff_id"], []))
                     for row in found.nominees],
        "others": [a for a in found.attachments if a.part != Part.REPORT],
        "events": item.events.select_related("actor"),
        "conferrals": item.conferrals.select_related("award").count(),
        "return_parts": [str(Part(p).label) for p in item.return_parts],
        "can": {"manage": manages, "edit": manages and item.editable,
                "download": can_download_dossier(request.user),
                "reports": {row["pk"] for row in found.nominees
                            if can_read_nominee_report(request.user, row["proposal__unit_id"])},
                "at_upper": manages and item.status in AT_UPPER_LEVEL,
                "recall": manages and item.status in AT_UPPER_LEVEL | {DossierStatus.RETURNED}},
    })


@require_POST
def dossier_step(request, pk, step):
    item = get_dossier_for(request.user, pk)
    require(can_manage_dossiers(request.user))
    if step not in STEPS:
        return redirect("awards:dossier", item.pk)
    form = STEPS[step](request.POST, prefix=step)
    if step == "return":
        form.fields["parts"].choices = Part.choices
    if not form.is_valid():
        return dossier(request, pk, forms={step: form})
    data = dict(form.cleaned_data)
    version = data.pop("version")
    action = {"send": services.send, "return": services.return_, "recall": services.recall,
              "decide": services.decide}[step]
    try:
        action(item, version=version, user=request.user, **data)
    except StaleEdit:
        messages.error(request, StaleEdit.message)
        return redirect("awards:dossier", item.pk)
    except WorkflowError as error:
        form.add_error(None, error.message)
        return dossier(request, pk, forms={step: form})
    messages.success(request, {
        "send": _("The dossier was recorded as sent."),
        "return": _("The return was recorded: fix the parts named, then send it again."),
        "recall": _("The dossier was recalled."),
        "decide": _("The upper decision was recorded: the awards are in the history."),
    }[step])
    return redirect("awards:dossier", item.pk)


@require_POST
def dossier_upload(request, pk):
    item = get_dossier_for(request.user, pk)
    require(can_manage_dossiers(request.user))
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return dossier(request, pk, upload=form)
    try:
        services.attach(item, part=form.cleaned_data["part"],
                        nominee_id=form.cleaned_data["nominee"], checked=form.checked,
                        upload=form.cleaned_data["file"], user=request.user)
    except WorkflowError as error:
        form.add_error(None, error.message)
        return dossier(request, pk, upload=form)
    messages.success(request, _("The file was added to the dossier."))
    return redirect("awards:dossier", item.pk)


def dossier_attachment(request, pk):
    return send_stored(get_dossier_attachment_for(request.user, pk))


@require_POST
def dossier_detach(request, pk):
    attachment = get_dossier_attachment_for(request.user, pk)
    require(can_manage_dossiers(request.user))
    try:
        services.detach(attachment, user=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The file was removed from the dossier."))
    return redirect("awards:dossier", attachment.dossier_id)


def dossier_report(request, pk, nominee_pk):
    """One nominee's achievement report from the template, to complete, sign and upload."""
    item = get_dossier_for(request.user, pk)
    rows = [row for row in checklist(item).nominees if row["pk"] == nominee_pk]
    if not rows:
        return redirect("awards:dossier", item.pk)
    require(can_read_nominee_report(request.user, rows[0]["proposal__unit_id"]))
    response = HttpResponse(reports_pdf(item, rows), content_type=layout.PDF_CONTENT_TYPE)
    name = layout.ascii_name("bao-cao-thanh-tich", rows[0]["name"], item.year, extension="pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def dossier_zip(request, pk):
    """The whole dossier: the generated parts and the uploads, as one ZIP."""
    item = get_dossier_for(request.user, pk)
    require(can_download_dossier(request.user))
    return zip_download(*pack(item))
