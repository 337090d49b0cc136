import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import word
from core.spreadsheets.styles import ascii_filename
from core.stale_edits import StaleEdit, keep_typing
from units.access import can_view_every_unit, own_unit_id, require, viewer_for
from units.collation import unit_order
from units.documents import deliver
from units.models import KIND_GROUP_LABELS, UNIT_KIND_GROUPS, Unit, UnitKind
from units.models_outgoing import DocumentKind
from units.services_outgoing import next_number

from . import services
from .access import (
    can_confirm_dissemination,
    can_manage_campaigns,
    get_campaign_for,
    get_dissemination_for,
)
from .forms import (
    CampaignForm,
    CopyCampaignForm,
    DisseminationForm,
    LaunchForm,
    section_formsets,
)
from .models import Campaign
from .word import plan_docx


def campaign_list(request):
    viewer = viewer_for(request.user)
    campaigns = Campaign.objects.visible_to(viewer).with_counts().select_related("issuing_unit")
    return render(request, "campaigns/campaign_list.html", {
        "campaigns": campaigns, "can": {"manage_campaigns": can_manage_campaigns(request.user)}})


def campaign_detail(request, pk):
    campaign = get_campaign_for(request.user, pk)
    unit_id = own_unit_id(request.user)
    can = {"manage_campaigns": can_manage_campaigns(request.user),
           "view_every_unit": can_view_every_unit(request.user), "view_own_unit": bool(unit_id)}
    duties = campaign.duties.prefetch_related(
        Prefetch("units", queryset=Unit.objects.only("id", "name", "short_name", "order"))
    )
    own = None
    if unit_id and not campaign.is_draft:
        own = campaign.disseminations.filter(unit_id=unit_id).first()
    why_not_launch = None
    if can["manage_campaigns"] and campaign.is_draft:
        # Not offered until it can succeed: the page says what is missing.
        why_not_launch = services.why_not_launch(campaign)
    return render(request, "campaigns/campaign_detail.html", {
        "campaign": campaign,
        "legal_bases": campaign.legal_bases.all(),
        "items": campaign.items.all(),
        "duties": duties,
        "recipients": campaign.recipients.all(),
        "own_dissemination": own,
        "can_confirm_own": own is not None and can_confirm_dissemination(request.user, own),
        "can": can,
        "why_not_launch": why_not_launch,
        "units_asked": campaign.implementing_units().count() if campaign.is_draft else None,
        "launch_form": (_launch_form(campaign) if can["manage_campaigns"] and campaign.is_draft
                        else None),
    })


def _launch_form(campaign, data=None):
    day = campaign.issued_on or timezone.localdate()
    return LaunchForm(data, next_number=next_number(DocumentKind.PLAN, day.year))


def _edit(request, campaign):
    """Create (campaign.pk is None) or edit a draft with all its sections on one page."""
    data = request.POST if request.method == "POST" else None
    form = CampaignForm(data, instance=campaign)
    formsets = section_formsets(data, instance=campaign)
    if data is not None and form.is_valid() and all(f.is_valid() for f in formsets):
        try:
            saved = services.save_campaign(
                form=form, formsets=formsets, user=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except StaleEdit:
            messages.error(request, StaleEdit.message)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(saved)
    elif data is not None:
        messages.error(request, _("The plan was not saved. Correct the fields marked in red."))
    return render(request, "campaigns/campaign_form.html",
                  {"form": form, "formsets": formsets, "campaign": campaign})


def campaign_create(request):
    require(can_manage_campaigns(request.user))
    root = Unit.objects.filter(parent__isnull=True).first()
    return _edit(request, Campaign(issuing_unit=root))


def campaign_edit(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    if not campaign.is_draft:
        messages.error(request, _("A launched plan can no longer be edited."))
        return redirect(campaign)
    return _edit(request, campaign)


def campaign_copy(request, pk):
    source = get_campaign_for(request.user, pk, manage=True)
    form = CopyCampaignForm(request.POST or None, source=source)
    if form.is_valid():
        copy = services.copy_to_year(source=source, user=request.user, **form.cleaned_data)
        messages.success(request, _("A draft for %(year)s was created from %(code)s. Check the "
                                    "dates and legal bases, then launch it.")
                         % {"year": copy.year, "code": source.code})
        return redirect(copy)
    return render(request, "campaigns/campaign_copy.html", {"form": form, "source": source})


@require_POST
def campaign_launch(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    form = _launch_form(campaign, request.POST)
    form.is_valid()  # the number is optional: only its spaces are tidied
    try:
        asked = services.launch(campaign=campaign, user=request.user,
                                number=form.cleaned_data.get("number", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The plan was launched; %(count)s units were asked to "
                                    "confirm dissemination.") % {"count": asked})
    return redirect(campaign)


@require_POST
def campaign_close(request, pk):
    campaign = get_campaign_for(request.user, pk, manage=True)
    try:
        services.close(campaign=campaign, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The campaign was closed."))
    return redirect(campaign)


def dissemination_list(request, pk):
    campaign = get_campaign_for(request.user, pk)
    require(can_view_every_unit(request.user))
    units = campaign.disseminations.all()
    # The director's dashboard counts the units of a kind (or a group of kinds) and links here
    # with its filter: the list then holds exactly the units it counted.
    kind = request.GET.get("kind", "")
    kinds = UNIT_KIND_GROUPS.get(kind, (kind,) if kind in UnitKind.values else ())
    if kinds:
        units = units.filter(unit__kind__in=kinds)
    rows = (units.select_related("unit", "confirmed_by__staff_member")
            .order_by(F("confirmed_at").asc(nulls_first=True), *unit_order("unit__")))
    status = request.GET.get("status")
    if status == "pending":
        rows = rows.filter(confirmed_at__isnull=True)
    elif status == "confirmed":
        rows = rows.filter(confirmed_at__isnull=False)
    counts = {"total": units.count(), "confirmed": units.confirmed().count()}
    counts["pending"] = counts["total"] - counts["confirmed"]
    return render(request, "campaigns/dissemination_list.html",
                  {"campaign": campaign, "rows": rows, "counts": counts, "status": status,
                   "kind": kind if kinds else "",
                   "kind_label": dict(UnitKind.choices).get(kind) or KIND_GROUP_LABELS.get(kind)})


def dissemination_confirm(request, pk):
    dissemination = get_dissemination_for(request.user, pk, confirm=True)
    form = DisseminationForm(request.POST or None, instance=dissemination)
    if form.is_valid():
        try:
            services.confirm_dissemination(
                dissemination=dissemination, data=form.cleaned_data, user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit:
            messages.error(request, _("Someone else recorded this unit's dissemination after "
                                      "you opened the page, so nothing was saved. The page now "
                                      "holds what you typed: check it, then confirm again."))
            dissemination.refresh_from_db()
            keep_typing(form, dissemination.version)
        else:
            messages.success(request, _("Thank you: your unit's dissemination was recorded."))
            return redirect(dissemination.campaign)
    return render(request, "campaigns/dissemination_form.html",
                  {"form": form, "dissemination": dissemination,
                   "campaign": dissemination.campaign})



@require_GET
def campaign_docx(request, pk):
    """The plan as Word (.docx) in the Decree 30 layout (core.word): for whoever may read it,
    as its printed page; kept in "My documents" like every download (units.documents.deliver)."""
    campaign = get_campaign_for(request.user, pk)
    return deliver(request, io.BytesIO(plan_docx(campaign)), kind="plan",
                   title=_("Plan %(code)s") % {"code": campaign.code},
                   filename=ascii_filename("ke-hoach", campaign, "docx"),
                   content_type=word.CONTENT_TYPE)
