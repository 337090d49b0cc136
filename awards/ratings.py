"""Year-end ratings of a unit's staff: the cap on "excellent", the page's lock, and the write.

The unit head (or the Office, the Union) enters every person's rating for a year at once. All of
them are written in one transaction with one audit line, or none: when the number rated
"excellent" passes the cap of the year's legal period (a share of those rated good or better),
or when someone saved the unit's ratings after the page was opened.
"""

import hashlib
import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit.trail import record
from core.stale_edits import StaleEdit
from units.models import StaffMember

from .models import LegalPeriod, Rating, YearRating

GOOD_OR_BETTER = {Rating.EXCELLENT, Rating.GOOD}


def unit_staff(unit):
    """The active staff of a unit, in the order of its staff list."""
    return list(StaffMember.objects.active().filter(unit=unit).leaders_first())


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
    """The ratings of the unit's active staff for the year, by staff id."""
    return {rating.staff_id: rating for rating in YearRating.objects.filter(
        year=year, staff__unit=unit, staff__is_active=True)}


def digest(rows) -> str:
    """A fingerprint of the stored ratings (YearRating rows): changes whenever one is saved."""
    text = ";".join(f"{r.staff_id}:{r.rating}:{r.version}"
                    for r in sorted(rows, key=lambda r: r.staff_id))
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def save_ratings(*, unit, year: int, ratings: dict[int, str], user, expected_digest=None,
                 action="rating.save") -> int:
    """Write the ratings of the unit's staff for a year: all or none. Returns how many changed.

    `ratings` maps staff ids (active staff of `unit`) to a rating, or "" to clear one. Staff not
    in `ratings` keep what is stored. Raises StaleEdit when `expected_digest` no longer matches
    the stored ratings, and ValidationError when the result passes the cap. Side effects: the
    rows, and one audit line with each changed person's rating before and after.
    """
    people = {person.pk: person for person in unit_staff(unit)}
    unknown = set(ratings) - set(people)
    if unknown:
        raise ValueError(f"Not active staff of unit {unit.pk}: {sorted(unknown)}")
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
