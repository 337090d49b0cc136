"""A cluster meeting's proposal: the flag and Bằng khen candidates, which go onto the
candidates' commendation lists."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.uploads import send_stored
from scoring.access import get_cluster_for
from units.access import require

from .. import services_clusters
from ..access import can_record_cluster_proposal, get_cluster_minutes_for
from ..forms_clusters import ClusterProposalForm
from ..models_clusters import ClusterProposal


def cluster_proposal(request, pk):
    cluster = get_cluster_for(request.user, pk)
    recorded = (ClusterProposal.objects.filter(cluster=cluster)
                .select_related("flag_unit", "commendation")
                .prefetch_related("commended", "minutes", "nominees__proposal__unit",
                                  "nominees__award").first())
    may_record = can_record_cluster_proposal(request.user, cluster)
    ranking = list(cluster.results.select_related("unit").order_by("rank", "unit__order"))
    form = None
    if recorded is None and may_record and cluster.round_closed_at:
        form = ClusterProposalForm(request.POST or None, request.FILES or None,
                                   cluster=cluster, ranking=ranking)
    if request.method == "POST":
        require(form is not None, cluster)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services_clusters.record_proposal(
                    cluster=cluster, held_on=data["held_on"], present=data["present"],
                    flag_unit=data["flag_unit"], flag_votes=data["flag_votes"],
                    commended=list(data["commended"]), commendation=data["commendation"],
                    checked=form.checked, upload=data["minutes"], user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The meeting's proposal is recorded and its "
                                            "candidates are on their units' lists."))
                return redirect("awards:cluster_proposal", cluster.pk)
    return render(request, "awards/cluster_proposal.html", {
        "cluster": cluster, "proposal": recorded, "ranking": ranking, "form": form,
        "can": {"record": may_record}})


def cluster_minutes(request, pk):
    return send_stored(get_cluster_minutes_for(request.user, pk))
