"""Year-end ratings of a unit's staff: the cap on "excellent", the page's lock, and the write.

The unit head (or the Office, the Union) enters every person's rating for a year at once. All of
them are written in one transaction with one audit line, or none: when the number rated
"excellent" passes the cap of the year's legal period (a share of those rated good or better),
or when someone saved the unit's ratings after the page was opened.
"""

import datetime
import hashlib
import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit.trail import record
from core.stale_edits import StaleEdit
from units.models import StaffMember, StaffTransfer

from .models import LegalPeriod, Rating, YearRating

GOOD_OR_BETTER = {Rating.EXCELLENT, Rating.GOOD}


def counted_in(unit_ids, year: int | None = None):
    """The staff the units count for `year` (a QuerySet), each with `unit_then`, the unit they
    count in. This year and later: the units' active staff. A past year: the people who were in
    them on 31 December of that year and had not left by then (StaffMemberQuerySet.with_unit_on),
    so after a transfer or a merge in 2025 the old unit's 2022 page still lists its 2022 people,
    and the new unit's does not."""
    unit_ids = list(unit_ids)
    if year is None or year >= timezone.localdate().year:
        return StaffMember.objects.active().filter(unit_id__in=unit_ids).annotate(
            unit_then=F("unit_id"))
    end = datetime.date(year, 12, 31)
    # Only the units' people now and those who ever moved in or out are looked at, not every
    # person of the department.
    moved = StaffTransfer.objects.filter(
        Q(from_unit_id__in=unit_ids) | Q(to_unit_id__in=unit_ids)).values("staff")
    return (StaffMember.objects.filter(Q(unit_id__in=unit_ids) | Q(pk__in=moved))
            .with_unit_on(end).filter(unit_then__in=unit_ids)
            .filter(Q(is_active=True) | Q(left_on__gt=end)))


def people_of(unit, year: int | None = None):
    """The staff `unit` counts for `year` (counted_in)."""
    return counted_in([unit.pk], year)


def unit_staff(unit, year: int | None = None):
    """The staff of a unit for `year` (people_of), in the order of its staff list."""
    return list(people_of(unit, year).leaders_first())


@dataclass(frozen=True)
class Cap:
    percent: Decimal
    source: str  # a drafting note for administrators (Viewer.sees_legal_notes), never shown others
    period: str  # the legal period's name: what everyone is told the cap comes from

    def allowed(self, good_or_better: int) -> int:
        """How many may be rated excellent among `good_or_better` people (rounded down)."""
        return math.floor(self.percent * good_or_better / 100)


def cap_for(year: int) -> Cap | None:
    period = LegalPeriod.objects.for_year(year)
    if period is None or period.excellent_cap is None:
        return None
    return Cap(percent=period.excellent_cap, source=period.excellent_cap_source,
               period=period.name)


def cap_error(cap: Cap | None, ratings) -> str | None:
    """The message refusing `ratings` (an iterable of rating values), or None when they fit."""
    if cap is None:
        return None
    ratings = [rating for rating in ratings if rating]
    excellent = sum(rating == Rating.EXCELLENT for rating in ratings)
    good_or_better = sum(rating in GOOD_OR_BETTER for rating in ratings)
    allowed = cap.allowed(good_or_better)
    if excellent <= allowed:
        return None
    return _("%(excellent)s people are rated “%(label)s”, but at most %(allowed)s may be: "
             "%(percent)s %% of the %(base)s people rated “%(good)s” or better, rounded down "
             "(%(period)s). Nothing was saved: lower some ratings and save again.") % {
        "excellent": excellent, "label": Rating.EXCELLENT.label, "allowed": allowed,
        "percent": f"{cap.percent.normalize():f}", "base": good_or_better,
        "good": Rating.GOOD.label, "period": cap.period,
    }


def stored(unit, year) -> dict[int, YearRating]:
    """The ratings of the unit's staff for the year (people_of), by staff id."""
    return {rating.staff_id: rating for rating in YearRating.objects.filter(
        year=year, staff__in=people_of(unit, year).values("pk"))}


def digest(rows) -> str:
    """A fingerprint of the stored ratings (YearRating rows): changes whenever one is saved."""
    text = ";".join(f"{r.staff_id}:{r.rating}:{r.version}"
                    for r in sorted(rows, key=lambda r: r.staff_id))
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def save_ratings(*, unit, year: int, ratings: dict[int, str], user, expected_digest=None,
                 action="rating.save") -> int:
    """Write the ratings of the unit's staff for a year: all or none. Returns how many changed.

    `ratings` maps staff ids (the unit's staff of that year, people_of) to a rating, or "" to
    clear one. Staff not in `ratings` keep what is stored. Raises StaleEdit when
    `expected_digest` no longer matches the stored ratings, and ValidationError when the result
    passes the cap. Side effects: the rows, and one audit line with each changed person's rating
    before and after.
    """
    people = {person.pk: person for person in unit_staff(unit, year)}
    unknown = set(ratings) - set(people)
    if unknown:
        raise ValueError(f"Not staff of unit {unit.pk} in {year}: {sorted(unknown)}")
    current = {row.staff_id: row for row in YearRating.objects.select_for_update().filter(
        year=year, staff_id__in=list(people))}
    if expected_digest is not None and expected_digest != digest(current.values()):
        raise StaleEdit
    result = {pk: current[pk].rating if pk in current else "" for pk in people}
    result.update(ratings)
    message = cap_error(cap_for(year), result.values())
    if message:
        raise ValidationError(message, code="cap")
    before, after = {}, {}
    for pk, rating in ratings.items():
        row = current.get(pk)
        old = row.rating if row else ""
        if old == rating:
            continue
        before[str(pk)], after[str(pk)] = old or None, rating or None
        if not rating:
            row.delete()
        elif row is None:
            YearRating.objects.create(staff_id=pk, year=year, rating=rating, entered_by=user)
        else:
            row.rating, row.entered_by, row.version = rating, user, row.version + 1
            row.save(update_fields=["rating", "entered_by", "entered_at", "version"])
    if after:
        record(actor=user, action=action, target=unit,
               before={"year": year, "ratings": before}, after={"year": year, "ratings": after})
    return len(after)
