"""The home page: what is waiting for the signed-in person, by role."""

from django.shortcuts import render

from campaigns.models import Campaign, CampaignStatus, Dissemination
from units.access import viewer_for


def home(request):
    viewer = viewer_for(request.user)
    campaigns = list(
        Campaign.objects.visible_to(viewer).exclude(status=CampaignStatus.CLOSED).with_counts()
    )
    my_pending = []
    if viewer.is_unit_head:
        my_pending = list(
            Dissemination.objects.pending()
            .filter(unit_id=viewer.unit_id, campaign__status=CampaignStatus.LAUNCHED)
            .select_related("campaign")
        )
    return render(request, "home.html", {"campaigns": campaigns, "my_pending": my_pending})
