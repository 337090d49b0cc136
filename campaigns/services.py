"""Writes that touch several models of a campaign; each runs in one transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit.trail import record
from core.stale_edits import bump_version
from units import identity
from units import services_outgoing as outgoing
from units.models_outgoing import DocumentKind

from .models import Campaign, CampaignStatus, Dissemination, Duty


@transaction.atomic
def save_campaign(*, form, formsets, user, expected_version=None) -> Campaign:
    """Save the campaign form and its section formsets together, or nothing at all.

    Side effects: bumps the campaign's version (StaleEdit on conflict) and writes an audit line.
    """
    creating = form.instance.pk is None
    if not creating:
        bump_version(form.instance, expected_version)
    changed = [name for name in form.changed_data if name != "version"]
    before = {name: _plain(form.initial.get(name)) for name in changed}
    campaign = form.save()
    sections = {}
    for formset in formsets:
        formset.instance = campaign
        formset.save()
        counts = {"added": len(formset.new_objects), "changed": len(formset.changed_objects),
                  "deleted": len(formset.deleted_objects)}
        if any(counts.values()):
            sections[formset.prefix] = counts
    after = {name: _plain(form.cleaned_data.get(name)) for name in changed}
    record(
        actor=user,
        action="campaign.create" if creating else "campaign.edit",
        target=campaign,
        before=None if creating else before,
        after={**after, "sections": sections},
    )
    return campaign


def _plain(value):
    """A JSON-friendly form of a form value, for the audit trail."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


def why_not_launch(campaign: Campaign) -> str | None:
    """Why a draft cannot be launched yet (None: it can)."""
    if not campaign.items.exists():
        return _("Add the plan's content items before launching it.")
    if not campaign.implementing_units().exists():
        return _("Mark at least one organisation duty whose units must confirm dissemination.")
    return None


def plan_subject(campaign: Campaign) -> str:
    """The plan's line in the register of outgoing documents (trích yếu)."""
    return f"Kế hoạch tổ chức phong trào thi đua “{campaign.title}” năm {campaign.year}"


@transaction.atomic
def launch(*, campaign: Campaign, user, number: str | None = None) -> int:
    """Launch a draft: it is issued with a number from the register of outgoing documents
    (units.services_outgoing), becomes read-only, and each implementing unit is asked to
    confirm dissemination. Returns how many units were asked.

    `number` empty: the register's next plan number (KH) of the year of issue; typed: entered
    as typed (refused when the year's register holds it); None (scripts, the demo): the
    draft's own number, entered as typed. The date of issue is the draft's, else today.

    Side effects: status change, the register's entry, Dissemination rows, one audit line.
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(_("Only a draft plan can be launched."))
    if not campaign.items.exists():
        raise ValidationError(_("Add the plan's content items before launching it."))
    units = list(campaign.implementing_units())
    if not units:
        raise ValidationError(
            _("Mark at least one organisation duty whose units must confirm dissemination.")
        )
    typed_before, issued_on = campaign.code, campaign.issued_on or timezone.localdate()
    try:
        with transaction.atomic():
            # The register's counter stays locked until we commit: a failure gives it back.
            entry = outgoing.register(
                kind=DocumentKind.PLAN, issued_on=issued_on,
                number=campaign.code if number is None else number,
                subject=plan_subject(campaign), signer_name=campaign.signer_name,
                signer_title=campaign.signer_title, user=user, audit=False, target=campaign)
            campaign.number, _slash, symbol = entry.number.partition("/")
            campaign.symbol = symbol or campaign.symbol
            campaign.issued_on = issued_on
            campaign.status = CampaignStatus.LAUNCHED
            campaign.launched_at = timezone.now()
            campaign.launched_by = user
            campaign.version += 1
            campaign.save(update_fields=["number", "symbol", "issued_on", "status",
                                         "launched_at", "launched_by", "version", "updated_at"])
    except outgoing.RegisterError as error:
        raise ValidationError(error.message) from error
    except IntegrityError as error:
        raise ValidationError(
            _("Number %(number)s is held by another plan of %(year)s (a draft's provisional "
              "number): change that draft's number, or type another number here.")
            % {"number": campaign.code, "year": campaign.year}) from error
    Dissemination.objects.bulk_create(
        [Dissemination(campaign=campaign, unit=unit) for unit in units],
        ignore_conflicts=True,
    )
    record(actor=user, action="campaign.launch", target=campaign,
           before={"status": CampaignStatus.DRAFT, "number": typed_before},
           after={"status": CampaignStatus.LAUNCHED, "number": entry.number,
                  "issued_on": issued_on.isoformat(), "typed": entry.typed,
                  "units_asked": len(units),
                  "units": [unit.pk for unit in units]})
    return len(units)


@transaction.atomic
def close(*, campaign: Campaign, user) -> None:
    """Close a launched campaign at year end. Side effects: status change, one audit line."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != CampaignStatus.LAUNCHED:
        raise ValidationError(_("Only a launched plan can be closed."))
    campaign.status = CampaignStatus.CLOSED
    campaign.version += 1
    campaign.save(update_fields=["status", "version", "updated_at"])
    record(actor=user, action="campaign.close", target=campaign,
           before={"status": CampaignStatus.LAUNCHED}, after={"status": CampaignStatus.CLOSED})


@transaction.atomic
def copy_to_year(*, source: Campaign, year: int, number: str, user) -> Campaign:
    """A new draft for `year` with the structure of `source`: legal bases, purposes,
    requirements, content items, organisation duties (with their units) and recipients.

    Nothing of the old year's progress is copied: no dissemination confirmations, no launch data;
    the header (parent agency, issuing body, place) is the department's identity of today.
    Side effects: the new rows and one audit line.
    """
    # The header is the department's as it is today (units.identity), not the old plan's: after
    # a merger or a rename, last year's plan copied must not print last year's province.
    department = identity.current()
    copy = Campaign.objects.create(
        number=number,
        symbol=source.symbol,
        year=year,
        title=source.title,
        parent_agency=department.parent_agency or source.parent_agency,
        issuing_unit=source.issuing_unit,
        issuing_name=department.issuing_name or source.issuing_name,
        place=department.place or source.place,
        issued_on=None,
        signer_name=source.signer_name,
        signer_title=source.signer_title,
        signer_prefix=source.signer_prefix,
        preamble=source.preamble,
        purposes=source.purposes,
        requirements=source.requirements,
        copied_from=source,
    )
    for basis in source.legal_bases.all():
        basis.pk = None
        basis.campaign = copy
        basis.save()
    source_items = list(source.items.all())
    for item in source_items:
        item.pk = None
        item.campaign = copy
    copy.items.model.objects.bulk_create(source_items)
    through = Duty.units.through
    for duty in source.duties.all():
        unit_ids = list(through.objects.filter(duty=duty).values_list("unit_id", flat=True))
        duty.pk = None
        duty.campaign = copy
        duty.save()
        through.objects.bulk_create([through(duty=duty, unit_id=uid) for uid in unit_ids])
    for recipient in source.recipients.all():
        recipient.pk = None
        recipient.campaign = copy
        recipient.save()
    record(actor=user, action="campaign.copy", target=copy,
           after={"copied_from": source.pk, "year": year})
    return copy


@transaction.atomic
def confirm_dissemination(*, dissemination: Dissemination, data: dict, user,
                          expected_version: int) -> Dissemination:
    """Record (or correct) a unit's dissemination of the plan to its staff.

    Side effects: bumps the version (StaleEdit on conflict) and writes an audit line with the
    values before and after.
    """
    # Read "before" from the database: a bound ModelForm has already copied the new values
    # onto the instance it was given.
    stored = Dissemination.objects.get(pk=dissemination.pk)
    before = stored.snapshot() if stored.is_confirmed else None
    bump_version(dissemination, expected_version)
    dissemination.disseminated_on = data["disseminated_on"]
    dissemination.staff_reached = data["staff_reached"]
    dissemination.note = data.get("note", "")
    dissemination.confirmed_at = timezone.now()
    dissemination.confirmed_by = user
    dissemination.save()
    record(actor=user, action="dissemination.confirm", target=dissemination,
           before=before, after=dissemination.snapshot())
    return dissemination
