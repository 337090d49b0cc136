"""Emulation clusters and blocks: the year's list, a cluster's page, its definition, its
deletion, its pact, its peer-scoring round and its deadline's extension, a member's peer-scoring
page and the ranking as a workbook."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.stale_edits import StaleEdit, keep_typing
from core.uploads import send_stored
from units.access import require, viewer_for
from units.documents import deliver_job

from .. import clusters as services
from .. import jobs
from ..access import (
    can_manage_clusters,
    can_run_cluster_round,
    get_cluster_for,
    get_cluster_pact_for,
    peer_scorer_for,
)
from ..forms_clusters import (
    ClusterForm,
    ExtendRoundForm,
    OpenRoundForm,
    PactForm,
    PeerScoreForm,
    criteria_text,
)
from ..models import Cluster, PeerMark


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def cluster_list(request):
    year = _year(request)
    rows = (Cluster.objects.visible_to(viewer_for(request.user)).filter(year=year)
            .select_related("head", "deputy").annotate(size=Count("members", distinct=True)))
    return render(request, "scoring/clusters.html", {
        "year": year, "clusters": rows,
        "can": {"manage_clusters": can_manage_clusters(request.user)},
    })


def cluster(request, pk):
    item = get_cluster_for(request.user, pk)
    scorer = peer_scorer_for(request.user, item)
    return render(request, "scoring/cluster.html", {
        "cluster": item,
        "members": item.members.select_related("unit"),
        "criteria": item.criteria.all(),
        "pacts": item.pacts.all(),
        "results": item.results.select_related("unit").order_by("rank", "unit__order"),
        "open_form": OpenRoundForm(),
        "pact_form": PactForm(),
        "can": {"manage_clusters": can_manage_clusters(request.user),
                "run_round": can_run_cluster_round(request.user, item),
                "peer_score": scorer is not None and item.round_open},
    })


def cluster_edit(request, pk=None):
    item = get_cluster_for(request.user, pk, manage=True) if pk else None
    if item is None:
        require(can_manage_clusters(request.user))
    initial = {"year": _year(request)}
    if item is not None:
        initial = {"year": item.year, "kind": item.kind, "name": item.name, "head": item.head,
                   "deputy": item.deputy, "targets": item.targets, "version": item.version,
                   "units": [m.unit for m in item.members.select_related("unit")],
                   "criteria": criteria_text(item)}
    form = ClusterForm(request.POST or None, cluster=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        criteria = None if form.fields["criteria"].disabled else form.cleaned_data["criteria"]
        try:
            saved = services.save_cluster(cluster=form.apply(), units=list(
                form.cleaned_data["units"]), criteria=criteria,
                version=form.cleaned_data["version"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        except StaleEdit as stale:
            # Shown over the cluster as it now stands, the typing kept for a second save.
            item.refresh_from_db()
            form = keep_typing(ClusterForm(request.POST, cluster=item, initial=initial),
                               item.version)
            form.is_valid()
            form.add_error(None, str(stale.message))
        else:
            messages.success(request, _("The cluster is saved."))
            return redirect(saved)
    return render(request, "scoring/cluster_form.html", {"form": form, "cluster": item})


def cluster_delete(request, pk):
    """The Office deletes a cluster whose peer scoring never opened, after a confirmation page
    naming it; once scoring has opened the page says why it cannot."""
    item = get_cluster_for(request.user, pk, manage=True)
    if request.method == "POST":
        try:
            services.delete_cluster(cluster=item, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(item)
        messages.success(request, _("The cluster “%(name)s” is deleted.") % {"name": item.name})
        return redirect(reverse("scoring:clusters") + f"?year={item.year}")
    return render(request, "scoring/cluster_delete.html", {
        "cluster": item, "members": item.members.select_related("unit")})


def cluster_export(request, pk):
    """The cluster's ranking as a workbook, for whoever reads the cluster: at once up to
    core.jobs' direct rows members, else (or with `?background=1`) by the background worker."""
    item = get_cluster_for(request.user, pk)
    return deliver_job(request, jobs.CLUSTER, {"cluster": item.pk},
                       title=_("Ranking of %(cluster)s") % {"cluster": item},
                       background=request.GET.get("background") == "1")


@require_POST
def cluster_copy(request):
    require(can_manage_clusters(request.user))
    year = _year(request)
    try:
        made = services.copy_year(year=year, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s clusters copied from %(last)s, each with the "
                                    "next member as head: check them.")
                         % {"count": len(made), "last": year - 1})
    return redirect(reverse("scoring:clusters") + f"?year={year}")


@require_POST
def cluster_pact_upload(request, pk):
    item = get_cluster_for(request.user, pk, manage=True)
    form = PactForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_pact(cluster=item, checked=form.checked,
                          upload=form.cleaned_data["file"], user=request.user)
        messages.success(request, _("The pact is stored."))
    else:
        messages.error(request, " ".join(form.errors.get("file", [])))
    return redirect(item)


def cluster_pact(request, pk):
    return send_stored(get_cluster_pact_for(request.user, pk))


@require_POST
def cluster_round(request, pk, step):
    item = get_cluster_for(request.user, pk)
    require(can_run_cluster_round(request.user, item), item)
    try:
        if step == "open":
            form = OpenRoundForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["deadline"])
            services.open_round(cluster=item, deadline=form.cleaned_data["deadline"],
                                user=request.user)
            messages.success(request, _("Peer scoring is open."))
        else:
            services.close_round(cluster=item, user=request.user)
            messages.success(request, _("Peer scoring is closed; the ranking is final."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(item)


def cluster_extend(request, pk):
    """The Office moves an open round's deadline later (gia hạn chấm chéo), with the reason."""
    item = get_cluster_for(request.user, pk, manage=True)
    if not item.round_open:
        messages.error(request, _("Peer scoring of this cluster is not open: there is no "
                                  "deadline to extend."))
        return redirect(item)
    form = ExtendRoundForm(request.POST or None, cluster=item,
                           initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.extend_round(cluster=item, deadline=form.cleaned_data["deadline"],
                                  reason=form.cleaned_data["reason"],
                                  version=form.cleaned_data["version"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        except StaleEdit as stale:
            # Shown over the deadline as it now stands, the typing kept for a second save.
            item.refresh_from_db()
            form = keep_typing(ExtendRoundForm(request.POST, cluster=item), item.version)
            form.is_valid()
            form.add_error(None, str(stale.message))
        else:
            messages.success(request, _("Peer scoring now runs until %(date)s.")
                             % {"date": f"{form.cleaned_data['deadline']:%d/%m/%Y}"})
            return redirect(item)
    return render(request, "scoring/cluster_extend.html", {"cluster": item, "form": form})


def cluster_score(request, pk):
    """A member head's page: the points their unit gives each other member."""
    item = get_cluster_for(request.user, pk)
    scorer = peer_scorer_for(request.user, item)
    require(scorer is not None and item.round_open, item)
    # After the deadline the page shows the unit's marks read-only; a stale page's post is
    # refused by save_marks, which says whom to ask.
    members = [m.unit for m in item.members.select_related("unit")]
    others = [unit for unit in members if unit.pk != scorer]
    criteria = list(item.criteria.all())
    # The stored marks fill the boxes of the page as shown; a post shows what was typed (and
    # save_marks reads them again under its lock), so it skips this read.
    stored = {} if request.method == "POST" else {
        (scored, criterion): points for scored, criterion, points in
        PeerMark.objects.filter(cluster=item, scorer_id=scorer)
        .values_list("scored_id", "criterion_id", "points")}
    form = PeerScoreForm(request.POST or None, others=others, criteria=criteria,
                         stored=stored)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_marks(
                cluster=item, scorer=next(u for u in members if u.pk == scorer),
                marks=form.marks(), user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(count)s scores saved.") % {"count": saved})
            return redirect(item)
    return render(request, "scoring/cluster_score.html", {
        "cluster": item, "form": form, "criteria": criteria, "rows": form.bound_rows(),
        "scorer": next(u for u in members if u.pk == scorer),
        "read_only": item.deadline_passed})
