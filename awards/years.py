"""The latest year that has data, for the year-selecting pages of someone who never chose a
year (units.years): the year of the newest plan launched, or of the newest ratings, lists or
awards — so ratings, eligibility and lists all open on the same year."""

from campaigns.models import Campaign, CampaignStatus
from units import years

from .models import Conferral, Proposal, YearRating


def latest_year_with_data() -> int | None:
    # One query; the models' default orderings are dropped, as a UNION takes none.
    found = (Campaign.objects.exclude(status=CampaignStatus.DRAFT).order_by().values_list("year")
             .union(*(model.objects.order_by().values_list("year")
                      for model in (YearRating, Proposal, Conferral))))
    return max((year for (year,) in found), default=None)


def year_for(request) -> int:
    return years.year_for(request, latest=latest_year_with_data)
