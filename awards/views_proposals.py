"""Commendation lists: a unit's nominees from draft to the director's approval.

The head of a unit drafts and sends its list; the Office and the Union check it and put it on
public notice, where every member of staff may read it and comment; the Office records the
council's vote; the director approves. Decisions are in views_decisions.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaigns.models import Campaign, CampaignStatus
from scoring.models import Sheet, Stage
from units.access import require, viewer_for
from units.models import Unit
from units.services import StaleEdit

from . import services
from .access import PUBLIC_STAGES, approves, edits, get_proposal_for, sees_details
from .forms_proposals import (
    CommentForm,
    NomineeForm,
    PublishForm,
    ReturnForm,
    SummaryForm,
    VersionForm,
    VoteForm,
)
from .models import Nominee, Proposal, ProposalStage
from .ratings import default_year


def _year(request) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    # The latest year with lists, so the page opens on the round in progress.
    latest = Proposal.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or default_year()


def proposals(request):
    viewer = viewer_for(request.user)
    year = _year(request)
    lists = Proposal.objects.filter(year=year).select_related("unit").annotate(
        count=Count("nominees"), failing=Count("nominees", filter=Q(nominees__eligible=False)))
    if not viewer.reads_everything:
        lists = lists.filter(Q(stage__in=PUBLIC_STAGES) | Q(unit_id=viewer.unit_id))
    by_unit = {p.unit_id: p for p in lists}
    rows = []
    if viewer.reads_everything:
        # Every unit, with its place in the year's locked scoring ranking: a unit ranked well
        # with no collective nominee is a suggestion to follow up.
        ranking = {s.unit_id: s for s in Sheet.objects.filter(
            round__kind=Stage.FINAL, round__closed_at__isnull=False,
            round__scheme__stage=Stage.LOCKED, round__scheme__campaign__year=year)}
        collective = set(Nominee.objects.filter(proposal__year=year, staff__isnull=True)
                         .values_list("proposal__unit_id", flat=True))
        for unit in Unit.objects.active().exclude(parent__isnull=True):
            rows.append((unit, by_unit.get(unit.pk), ranking.get(unit.pk),
                         unit.pk in collective))
    else:
        rows = [(p.unit, p, None, None) for p in by_unit.values()]
    campaigns = (Campaign.objects.visible_to(viewer).filter(year=year)
                 .exclude(status=CampaignStatus.DRAFT) if viewer.reads_everything else [])
    return render(request, "awards/proposals.html", {
        "year": year, "rows": rows, "viewer": viewer, "campaigns": campaigns,
        "own": viewer.is_unit_head and viewer.unit_id not in by_unit,
    })


def proposal_mine(request):
    """The head's own list for the year, started on first visit."""
    viewer = viewer_for(request.user)
    require(viewer.is_unit_head)
    unit = get_object_or_404(Unit, pk=viewer.unit_id)
    return redirect("awards:proposal", services.proposal_for(unit, _year(request)).pk)


def proposal(request, pk):
    item = get_proposal_for(request.user, pk)
    viewer = viewer_for(request.user)
    details = sees_details(viewer, item)
    review = services.review_proposal(item) if details else None
    return render(request, "awards/proposal.html", {
        "proposal": item, "review": review, "details": details,
        "nominees": [n for n, _v in review.nominees] if review else list(
            item.nominees.select_related("award", "staff")),
        "edits": edits(viewer, item) and item.editable,
        "reviews": viewer.reviews, "approves": approves(viewer),
        "suggestions": services.suggestions(item) if details and item.editable else [],
        "comments": item.comments.select_related("author__staff_member", "nominee__staff",
                                                  "nominee__award"),
        "summary_form": SummaryForm(initial={"summary": item.summary,
                                             "version": item.version}),
        "return_form": ReturnForm(initial={"version": item.version}),
        "publish_form": PublishForm(initial={"version": item.version,
                                             "days": services.DEFAULT_NOTICE_DAYS}),
        "comment_form": CommentForm(proposal=item),
        "stages": ProposalStage.choices,
    })


def _fail(request, error):
    messages.error(request, error.message if hasattr(error, "message") else str(error))


@require_POST
def proposal_summary(request, pk):
    item = get_proposal_for(request.user, pk)
    require(edits(viewer_for(request.user), item))
    form = SummaryForm(request.POST)
    if form.is_valid():
        try:
            services.save_summary(item, summary=form.cleaned_data["summary"],
                                  version=form.cleaned_data["version"], user=request.user)
            messages.success(request, _("The unit's achievements were saved."))
        except (StaleEdit, services.WorkflowError) as error:
            _fail(request, error)
    return redirect("awards:proposal", item.pk)


def nominee_form(request, pk, nominee_pk=None):
    item = get_proposal_for(request.user, pk)
    require(edits(viewer_for(request.user), item))
    nominee = (get_object_or_404(Nominee, pk=nominee_pk, proposal=item) if nominee_pk
               else Nominee(proposal=item))
    form = NomineeForm(request.POST or None, instance=nominee, unit=item.unit,
                       initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_nominee(item, nominee=form.save(commit=False),
                                  version=form.cleaned_data["version"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        except (StaleEdit, services.WorkflowError) as error:
            _fail(request, error)
            return redirect("awards:proposal", item.pk)
        else:
            messages.success(request, _("The nominee was saved."))
            return redirect("awards:proposal", item.pk)
    return render(request, "awards/nominee_form.html", {"proposal": item, "form": form,
                                                        "nominee": nominee})


@require_POST
def nominee_remove(request, pk, nominee_pk):
    item = get_proposal_for(request.user, pk)
    require(edits(viewer_for(request.user), item))
    nominee = get_object_or_404(Nominee, pk=nominee_pk, proposal=item)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.remove_nominee(item, nominee=nominee,
                                    version=form.cleaned_data["version"], user=request.user)
            messages.success(request, _("The nominee was removed from the list."))
        except (StaleEdit, services.WorkflowError) as error:
            _fail(request, error)
    return redirect("awards:proposal", item.pk)


def _reviewer(viewer, proposal) -> bool:
    return viewer.reviews


def _director(viewer, proposal) -> bool:
    return approves(viewer)


# step → (who may take it, the form, the service, the message on success). Every service
# takes the list, the form's cleaned fields by name and the user.
STEPS = {
    "submit": (edits, VersionForm, services.submit,
               gettext_lazy("The list was sent to the Office and the Union.")),
    "accept": (_reviewer, VersionForm, services.accept,
               gettext_lazy("The list was found complete.")),
    "return": (_reviewer, ReturnForm, services.send_back,
               gettext_lazy("The list was returned to the unit.")),
    "publish": (_reviewer, PublishForm, services.publish,
                gettext_lazy("The list is on public notice.")),
    "approve": (_director, VersionForm, services.approve,
                gettext_lazy("The list was approved.")),
}


@require_POST
def proposal_step(request, pk, step):
    if step not in STEPS:
        raise Http404
    item = get_proposal_for(request.user, pk)
    allowed, form_class, act, done = STEPS[step]
    require(allowed(viewer_for(request.user), item))
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("awards:proposal", item.pk)
    try:
        act(item, user=request.user, **form.cleaned_data)
    except (StaleEdit, services.WorkflowError) as error:
        _fail(request, error)
    else:
        messages.success(request, done)
    return redirect("awards:proposal", item.pk)


@require_POST
def proposal_comment(request, pk):
    item = get_proposal_for(request.user, pk)
    form = CommentForm(request.POST, proposal=item)
    if form.is_valid():
        try:
            services.comment(item, text=form.cleaned_data["text"],
                             nominee=form.cleaned_data["nominee"], user=request.user)
            messages.success(request, _("Your comment was recorded for the council."))
        except services.WorkflowError as error:
            _fail(request, error)
    else:
        messages.error(request, _("Write the comment first."))
    return redirect("awards:proposal", item.pk)


def proposal_vote(request, pk):
    item = get_proposal_for(request.user, pk)
    require(viewer_for(request.user).reviews)
    nominees = list(item.nominees.select_related("award", "staff"))
    form = VoteForm(request.POST or None, nominees=nominees,
                    initial={"version": item.version, "members": item.council_members,
                             "present": item.council_present})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_vote(item, held_on=data["held_on"], members=data["members"],
                                 present=data["present"], votes=form.votes(),
                                 version=data["version"], user=request.user)
        except StaleEdit as error:
            _fail(request, error)
        except services.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The council's vote was recorded."))
            return redirect("awards:proposal", item.pk)
    return render(request, "awards/vote.html", {"proposal": item, "form": form})
