"""Object helpers for campaigns, built on the one policy in `units.access`."""

from django.shortcuts import get_object_or_404

from units.access import refuse, require, viewer_for

from .models import Campaign, Dissemination


def can_manage_campaigns(user) -> bool:
    """The Office (and administrators) draft, launch and close plans and give out the work."""
    return viewer_for(user).manages_campaigns


def can_confirm_dissemination(user, dissemination) -> bool:
    """The unit's head confirms that a launched plan reached its staff."""
    return (viewer_for(user).heads(dissemination.unit_id)
            and dissemination.campaign.is_launched)


def get_campaign_for(user, pk, *, manage=False) -> Campaign:
    """The campaign if the user may read it (404 otherwise); 403 if `manage` and they may not."""
    viewer = viewer_for(user)
    campaign = Campaign.objects.visible_to(viewer).select_related("issuing_unit").filter(
        pk=pk).first()
    if campaign is None:
        # A draft the viewer may not see is refused (and recorded); a missing one is a 404.
        refuse(get_object_or_404(Campaign, pk=pk))
    if manage:
        require(viewer.manages_campaigns, campaign)
    return campaign


def get_dissemination_for(user, pk, *, confirm=False) -> Dissemination:
    """A unit's dissemination: its head confirms it; readers of everything may look at it."""
    viewer = viewer_for(user)
    dissemination = get_object_or_404(
        Dissemination.objects.select_related("campaign", "unit"), pk=pk
    )
    if not viewer.can_see_unit(dissemination.unit):
        refuse(dissemination)
    if confirm:
        require(viewer.heads(dissemination.unit_id) and dissemination.campaign.is_launched,
                dissemination)
    return dissemination
