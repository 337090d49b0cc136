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
from units.access import can_read_legal_notes, require

from .. import services_dossier as services
from ..access import (
    can_download_dossier,
    can_manage_dossiers,
    can_read_nominee_report,
    can_view_dossiers,
    dossiers_visible_to,
    get_decision_for,
    get_dossier_attachment_for,
    get_dossier_for,
)
from ..documents import layout
from ..documents.dossier import reports_pdf
from ..dossiers import candidates, changes_since_sent, checklist, recipient_for, sent_rows
from ..forms_dossier import (
    AttachmentForm,
    DecideForm,
    DossierCreateForm,
    RecallForm,
    RefuseForm,
    ReturnForm,
    SendForm,
    UpperRevocationForm,
)
from ..models import Decision
from ..models_dossier import AT_UPPER_LEVEL, DossierStatus, Part
from ..services import WorkflowError
from ..years import year_for
from .documents import deliver

STEPS = {"send": SendForm, "return": ReturnForm, "recall": RecallForm, "decide": DecideForm,
         "refuse": RefuseForm}


def _step_form(name, found_rows, *args, **kwargs):
    """A step's form; the decision's lists the dossier's nominees as sent."""
    if name == "decide":
        kwargs["rows"] = found_rows
    return STEPS[name](*args, prefix=name, **kwargs)


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
    steps = {name: forms.get(name) or _step_form(name, found.nominees, initial=initial)
             for name in STEPS}
    steps["return"].fields["parts"].choices = [(p.part, p.label) for p in found.parts]
    reports = {row["key"]: found.report_of(row["key"]) for row in found.nominees}
    return render(request, "awards/dossier.html", {
        "dossier": item, "found": found, "steps": steps,
        "upload": upload or AttachmentForm(),
        "nominees": [(row, reports[row["key"]], found.initiatives.get(row["staff_id"], []))
                     for row in found.nominees],
        "others": [a for a in found.attachments if a.part != Part.REPORT],
        "events": item.events.select_related("actor"),
        "conferrals": item.conferrals.count(),
        "upper_decision": Decision.objects.filter(dossier=item).only("pk").first(),
        "left_out": [row for row in found.nominees if row.get("commended") is False],
        "return_parts": [str(Part(p).label) for p in item.return_parts],
        "changes": (changes_since_sent(item, found.nominees)
                    if item.status == DossierStatus.RETURNED else None),
        "can": {"manage": manages, "edit": manages and item.editable,
                "download": can_download_dossier(request.user),
                "reports": {row["key"] for row in found.nominees
                            if can_read_nominee_report(request.user, row["proposal__unit_id"])},
                "at_upper": manages and item.status in AT_UPPER_LEVEL,
                "recall": manages and item.status in AT_UPPER_LEVEL | {DossierStatus.RETURNED},
                "read_legal_notes": can_read_legal_notes(request.user)},
    })


@require_POST
def dossier_step(request, pk, step):
    item = get_dossier_for(request.user, pk)
    require(can_manage_dossiers(request.user))
    if step not in STEPS:
        return redirect("awards:dossier", item.pk)
    form = _step_form(step, sent_rows(item), request.POST)
    if step == "return":
        form.fields["parts"].choices = Part.choices
    if not form.is_valid():
        return dossier(request, pk, forms={step: form})
    data = dict(form.cleaned_data)
    version = data.pop("version")
    action = {"send": services.send, "return": services.return_, "recall": services.recall,
              "decide": services.decide, "refuse": services.refuse}[step]
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
        "refuse": _("Recorded: the upper level commended no one of the dossier."),
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
                        nominee_id=form.cleaned_data["nominee"],
                        special_id=form.cleaned_data["special"], checked=form.checked,
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


def dossier_report(request, pk, nominee_pk=None, special_pk=None):
    """One nominee's (or one special proposal's) achievement report from the template, to
    complete, sign and upload."""
    item = get_dossier_for(request.user, pk)
    key = f"n{nominee_pk}" if nominee_pk else f"s{special_pk}"
    rows = [row for row in checklist(item).nominees if row["key"] == key]
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
    # Through the documents' one path: at once for a short list, by the background worker
    # (and its "being prepared" page) above DIRECT_NOMINEES, kept in "My documents".
    return deliver(request, "dossier", {"dossier": str(item.pk)}, "zip")


def upper_revocation_form(decision, *args):
    """The form recording the issuer's revocation, offering the decision's standing awards."""
    return UpperRevocationForm(*args, prefix="upper", conferrals=[
        c for c in decision.conferrals.select_related("staff", "unit") if not c.revoked_at])


@require_POST
def decision_revoke_upper(request, pk):
    """The Office records that the province (or the Ministry) revoked its own decision."""
    from .decisions import decision as decision_page

    item = get_decision_for(request.user, pk)
    require(can_manage_dossiers(request.user) and item.from_upper_level)
    form = upper_revocation_form(item, request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.revoke_upper(item, number=data["number"], revoked_on=data["revoked_on"],
                                  issuer=data["issuer"], reason=data["reason"],
                                  conferral_ids=form.chosen(), user=request.user)
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The revocation was recorded: the awards it names stay "
                                        "in the history, marked revoked."))
            return redirect("awards:decision", item.pk)
    return decision_page(request, pk, upper_form=form)
