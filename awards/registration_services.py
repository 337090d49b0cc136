"""Writes of emulation registration: the Office's window of a year, a unit's registration from
draft to accepted, and its import. Each step is one transaction and one audit line with the
state before and after; a step refused raises RegistrationError with the message to show and
stores nothing. Pages opened before someone else saved the registration are refused
(core.stale_edits)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit.trail import record
from core.stale_edits import bump_version

from .models import (
    Award,
    AwardKind,
    RegistrationStatus,
    RegistrationWindow,
    StaffRegistration,
    Subject,
    UnitRegistration,
)
from .ratings import people_of


class RegistrationError(Exception):
    """A step refused, with the message to show the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def individual_titles():
    """The titles a person may register for: every individual title of the catalogue."""
    return Award.objects.filter(kind=AwardKind.TITLE, subject=Subject.INDIVIDUAL)


def collective_awards():
    """What a unit may aim for: every collective award of the catalogue, so a flag or a
    Bằng khen added later appears without a change here."""
    return Award.objects.filter(subject=Subject.COLLECTIVE)


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# --- The Office's window ------------------------------------------------------------------


@transaction.atomic
def open_window(*, year: int, deadline, user) -> RegistrationWindow:
    """Open the year's registration. Side effects: a RegistrationWindow, an audit line."""
    if RegistrationWindow.objects.filter(year=year).exists():
        raise RegistrationError(_("Registration for %(year)s is already open. Change its "
                                  "deadline instead.") % {"year": year})
    try:
        with transaction.atomic():
            window = RegistrationWindow.objects.create(year=year, deadline=deadline,
                                                       opened_by=user)
    except IntegrityError:
        raise RegistrationError(_("Registration for %(year)s is already open. Change its "
                                  "deadline instead.") % {"year": year}) from None
    record(actor=user, action="registration.open", target=window,
           after={"year": year, "deadline": _day(deadline)})
    return window


@transaction.atomic
def change_window(*, window, user, expected_version: int, deadline=None,
                  closed: bool | None = None) -> RegistrationWindow:
    """Extend (or move) the deadline, close or reopen the window. Side effects: the window,
    an audit line (registration.extend / .close / .reopen)."""
    window = RegistrationWindow.objects.select_for_update().get(pk=window.pk)
    bump_version(window, expected_version)
    before = {"deadline": _day(window.deadline), "closed": window.closed_at is not None}
    action = "registration.extend"
    if deadline is not None:
        window.deadline = deadline
    if closed is True and window.closed_at is None:
        window.closed_at, action = timezone.now(), "registration.close"
    elif closed is False and window.closed_at is not None:
        window.closed_at, action = None, "registration.reopen"
    window.save(update_fields=["deadline", "closed_at"])
    record(actor=user, action=action, target=window, before=before,
           after={"deadline": _day(window.deadline), "closed": window.closed_at is not None})
    return window


# --- A unit's registration ----------------------------------------------------------------


def registration_of(unit, window) -> UnitRegistration | None:
    return (UnitRegistration.objects.filter(unit=unit, window=window)
            .select_related("award", "accepted_by").first())


def _locked(unit, window, expected_version, *, editing=True) -> UnitRegistration:
    """The unit's registration, locked, created on its first save; refused when it may not be
    changed (the window closed, sent and not returned) or the page is stale."""
    window = RegistrationWindow.objects.select_for_update().get(pk=window.pk)
    registration, _created = UnitRegistration.objects.get_or_create(
        unit=unit, year=window.year, defaults={"window": window})
    registration = UnitRegistration.objects.select_for_update().get(pk=registration.pk)
    if editing:
        if not window.is_open:
            raise RegistrationError(_("Registration for %(year)s is closed. Ask the Office to "
                                      "reopen it.") % {"year": window.year})
        if not registration.editable:
            raise RegistrationError(_("This registration was sent to the Office and can no "
                                      "longer be changed, unless the Office returns it."))
    bump_version(registration, expected_version)
    return registration


def _titles(registration) -> dict[int, str]:
    """staff id → award name of the registration's people, for the audit trail."""
    return {staff_id: name for staff_id, name in registration.people.values_list(
        "staff_id", "award__name")}


def _elsewhere(year, staff_ids, unit) -> None:
    """Refuse people already registered for the year by another unit (after a transfer)."""
    found = (StaffRegistration.objects.filter(year=year, staff_id__in=staff_ids)
             .exclude(registration__unit=unit)
             .values_list("staff__full_name", "registration__unit__name")[:5])
    if found:
        raise RegistrationError(_("Already registered for %(year)s by another unit: "
                                  "%(people)s. A person is registered once a year; ask that "
                                  "unit to remove them first.")
                                % {"year": year, "people": "; ".join(
                                    f"{name} ({unit_name})" for name, unit_name in found)})


@transaction.atomic
def save_registration(*, unit, window, user, expected_version: int, titles: dict,
                      award=..., action="registration.save") -> UnitRegistration:
    """Set the individual title of the people in `titles` (staff id → Award or None to remove
    them) and, unless left out, the unit's collective title. People not in `titles` keep what
    they have: the page sends one page of its list at a time.

    Side effects: StaffRegistration rows created, changed and deleted, the registration's
    version, one audit line with every change before and after.
    """
    registration = _locked(unit, window, expected_version)
    members = set(people_of(unit, window.year).filter(pk__in=list(titles))
                  .values_list("pk", flat=True))
    strangers = set(titles) - members
    if strangers:
        raise RegistrationError(_("Some people on the page no longer work at %(unit)s; nothing "
                                  "was saved. Reload the page.") % {"unit": unit.name})
    chosen = {pk: a for pk, a in titles.items() if a is not None}
    _elsewhere(window.year, list(chosen), unit)
    current = {row.staff_id: row for row in registration.people.filter(
        staff_id__in=list(titles)).select_related("award")}
    before, after = {}, {}
    delete, create, update = [], [], []
    for pk, title in titles.items():
        row = current.get(pk)
        old = row.award.name if row else None
        if title is None and row is not None:
            delete.append(row.pk)
        elif title is not None and row is None:
            create.append(StaffRegistration(registration=registration, staff_id=pk,
                                            year=window.year, award=title))
        elif title is not None and row.award_id != title.pk:
            row.award = title
            update.append(row)
        else:
            continue
        before[pk] = old
        after[pk] = title.name if title else None
    before, after = ({"titles": before} if before else {}), ({"titles": after} if after else {})
    StaffRegistration.objects.filter(pk__in=delete).delete()
    try:
        with transaction.atomic():
            StaffRegistration.objects.bulk_create(create)
    except IntegrityError:
        raise RegistrationError(_("Someone registered one of these people at the same time; "
                                  "nothing was saved. Reload the page.")) from None
    StaffRegistration.objects.bulk_update(update, ["award"])
    if award is not ... and award != registration.award:
        before["unit_title"] = registration.award.name if registration.award else None
        after["unit_title"] = award.name if award else None
        registration.award = award
    registration.save(update_fields=["award"])
    if after:
        record(actor=user, action=action, target=registration, before=before, after=after)
    return registration


def set_everyone(*, unit, window, user, expected_version: int, title,
                 only_missing: bool = True) -> UnitRegistration:
    """The page's shortcut: register everyone of the unit (or only those not registered yet)
    for one title, in one save."""
    people = people_of(unit, window.year).values_list("pk", flat=True)
    if only_missing:
        people = people.exclude(registrations__year=window.year)
    return save_registration(unit=unit, window=window, user=user,
                             expected_version=expected_version,
                             titles=dict.fromkeys(people, title), award=...)


@transaction.atomic
def save_and_send(*, unit, window, user, expected_version: int, titles: dict, award=...,
                  today=None) -> UnitRegistration:
    """What the page shows, saved and sent in one step: a head who changes a select and
    presses "send" sends what they see, or nothing at all if either step is refused."""
    saved = save_registration(unit=unit, window=window, user=user,
                              expected_version=expected_version, titles=titles, award=award)
    return send(unit=unit, window=window, user=user, expected_version=saved.version,
                today=today)


@transaction.atomic
def send(*, unit, window, user, expected_version: int, today=None) -> UnitRegistration:
    """Send the registration to the Office; after the deadline it is marked late and waits for
    the Office's acceptance with a reason. Side effects: the status, an audit line."""
    registration = _locked(unit, window, expected_version)
    if registration.award_id is None and not registration.people.exists():
        raise RegistrationError(_("Nothing is registered yet: choose the unit's title or at "
                                  "least one person's title, then send."))
    today = today or timezone.localdate()
    before = {"status": registration.status}
    registration.status = RegistrationStatus.SENT
    registration.sent_at = timezone.now()
    registration.late = window.is_late(today)
    registration.save(update_fields=["status", "sent_at", "late"])
    record(actor=user, action="registration.send", target=registration, before=before,
           after={"status": registration.status, "late": registration.late})
    return registration


def _sent(unit, window, expected_version) -> UnitRegistration:
    registration = _locked(unit, window, expected_version, editing=False)
    if registration.status != RegistrationStatus.SENT:
        raise RegistrationError(_("Only a registration sent to the Office can be accepted or "
                                  "returned."))
    return registration


@transaction.atomic
def accept(*, unit, window, user, expected_version: int, reason: str = "") -> UnitRegistration:
    """The Office accepts a sent registration; a late one needs the reason it is accepted.
    Side effects: the status, who accepted, an audit line."""
    registration = _sent(unit, window, expected_version)
    reason = reason.strip()
    if registration.late and not reason:
        raise RegistrationError(_("This registration was sent after the deadline of "
                                  "%(deadline)s. Write why it is accepted late.")
                                % {"deadline": _day(window.deadline)})
    before = {"status": registration.status}
    registration.status = RegistrationStatus.ACCEPTED
    registration.accepted_at, registration.accepted_by = timezone.now(), user
    registration.late_reason = reason
    registration.save(update_fields=["status", "accepted_at", "accepted_by", "late_reason"])
    record(actor=user, action="registration.accept", target=registration, before=before,
           after={"status": registration.status, "reason": reason} if reason
           else {"status": registration.status})
    return registration


@transaction.atomic
def return_registration(*, unit, window, user, expected_version: int,
                        reason: str) -> UnitRegistration:
    """The Office returns a sent registration with what to correct. Side effects: the status,
    the reason, an audit line."""
    reason = reason.strip()
    if not reason:
        raise RegistrationError(_("Write what the unit must correct: a registration is not "
                                  "returned without a reason."))
    registration = _sent(unit, window, expected_version)
    before = {"status": registration.status}
    registration.status, registration.return_reason = RegistrationStatus.RETURNED, reason
    registration.save(update_fields=["status", "return_reason"])
    record(actor=user, action="registration.return", target=registration, before=before,
           after={"status": registration.status, "reason": reason})
    return registration


# --- Reading ------------------------------------------------------------------------------

# The names of people who did not register, listed on a commendation list's page at most.
LISTED_MISSING = 30


def registered_ids(unit, year) -> set | None:
    """The ids of the unit's people registered for `year` in an accepted registration; None
    when no registration was opened for the year (nobody had to register)."""
    if not RegistrationWindow.objects.filter(year=year).exists():
        return None
    return set(StaffRegistration.objects.filter(
        year=year, registration__status=RegistrationStatus.ACCEPTED,
        staff__in=people_of(unit, year).values("pk")).values_list("staff_id", flat=True))


def standing(unit, year) -> dict | None:
    """Where a unit's registration of `year` stands, for its commendation list's page: the
    registration, how many people registered and who did not (a few names). None when no
    registration was opened for the year."""
    window = RegistrationWindow.objects.filter(year=year).first()
    if window is None:
        return None
    registration = registration_of(unit, window)
    accepted = registration is not None and registration.status == RegistrationStatus.ACCEPTED
    people = people_of(unit, year).leaders_first()
    registered = set(StaffRegistration.objects.filter(
        registration=registration).values_list("staff_id", flat=True)) if accepted else set()
    missing = people.exclude(pk__in=registered) if registered else people
    return {"window": window, "registration": registration, "accepted": accepted,
            "registered": len(registered), "missing_count": missing.count(),
            "missing": list(missing.values_list("full_name", flat=True)[:LISTED_MISSING])}
