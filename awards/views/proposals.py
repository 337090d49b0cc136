"""Commendation lists: a unit's nominees from draft to the director's approval.

The head of a unit drafts and sends its list; the Office and the Union check it and put it on
public notice, where every member of staff may read it and comment; the Office records the
council's vote; the director approves. Decisions are in views/decisions.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from campaigns.models import Campaign, CampaignStatus
from core.stale_edits import StaleEdit, keep_typing
from scoring.models import Sheet, Stage
from units.access import (
    can_read_legal_notes,
    can_view_every_unit,
    headed_unit_id,
    require,
    viewer_for,
)
from units.models import Unit

from .. import registration_services, services
from ..access import (
    can_approve,
    can_attach_to_proposal,
    can_download_proposal_dossier,
    can_edit_proposal,
    can_review_proposals,
    can_view_details,
    get_proposal_for,
)
from ..dossier_parts import missing_text
from ..forms_proposals import (
    CommentForm,
    NomineeForm,
    ProposeManyForm,
    PublishForm,
    ReturnForm,
    SummaryForm,
    VersionForm,
    VoteForm,
)
from ..forms_unit_dossier import ProposalAttachmentForm, ProposalRecallForm, SubmitForm
from ..models import Nominee, Proposal, ProposalStage
from ..models_clusters import ClusterProposal
from ..models_dossier import Part
from ..unit_dossier import checklist
from ..years import year_for


def proposals(request):
    viewer = viewer_for(request.user)
    every_unit, headed = can_view_every_unit(request.user), headed_unit_id(request.user)
    year = year_for(request)
    lists = Proposal.objects.visible_to(viewer).filter(year=year).select_related("unit").annotate(
        count=Count("nominees"), failing=Count("nominees", filter=Q(nominees__eligible=False)))
    by_unit = {p.unit_id: p for p in lists}
    rows = []
    if every_unit:
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
                 .exclude(status=CampaignStatus.DRAFT) if every_unit else [])
    return render(request, "awards/proposals.html", {
        "year": year, "rows": rows, "campaigns": campaigns,
        "own": headed is not None and headed not in by_unit,
        # What the clusters' meetings proposed (the flag candidates first): the Office builds
        # the list to the province from these as well.
        "cluster_proposals": ClusterProposal.objects.filter(cluster__year=year).select_related(
            "cluster", "flag_unit").prefetch_related("commended") if every_unit else [],
        "can": {"view_every_unit": every_unit, "draft_own_list": headed is not None},
    })


def proposal_mine(request):
    """The head's own list for the year, started on first visit."""
    headed = headed_unit_id(request.user)
    require(headed is not None)
    unit = get_object_or_404(Unit, pk=headed)
    return redirect("awards:proposal", services.proposal_for(unit, year_for(request)).pk)


def proposal(request, pk):
    return _page(request, get_proposal_for(request.user, pk))


def _page(request, item, **forms):
    """The list's page; `forms` are refused forms shown again as they were typed."""
    details = can_view_details(request.user, item)
    reviews = can_review_proposals(request.user)
    review = services.review_proposal(item) if details else None
    editing = can_edit_proposal(request.user, item) and item.editable
    suggestions = services.suggestions(item) if details and item.editable else []
    found = checklist(item)
    attaching = can_attach_to_proposal(request.user, item) and item.editable
    context = {
        "proposal": item, "review": review, "details": details,
        "nominees": [n for n, _v in review.nominees] if review else list(
            item.nominees.select_related("award", "staff")),
        "can": {"edit_proposal": editing, "review_proposals": reviews,
                "approve": can_approve(request.user), "attach": attaching,
                "recall": (can_edit_proposal(request.user, item)
                           and item.stage == ProposalStage.SUBMITTED),
                "download": can_download_proposal_dossier(request.user),
                "read_legal_notes": can_read_legal_notes(request.user)},
        "suggestions": suggestions,
        # Only the registered may be proposed for a title: who did and did not register.
        "registration": (registration_services.standing(item.unit, item.year)
                         if details and item.editable else None),
        "comments": item.comments.select_related("author__staff_member", "nominee__staff",
                                                  "nominee__award"),
        "stages": ProposalStage.choices,
        # The list as a dossier: what it holds and lacks, its files, the steps of its way.
        "found": found, "events": item.events.select_related("actor"),
        "others": [a for a in found.attachments if a.nominee_id is None],
        "return_parts": [str(label) for value, label in Part.choices
                         if value in item.return_parts],
        # Steps not allowed yet are not offered: the page says why, and when.
        "why_not_submit": (services.why_not_submit(item, review) or _why_incomplete(found)
                           if editing and review else None),
        "why_not_vote": (services.why_not_vote(item, review)
                         if reviews and review and item.stage == ProposalStage.NOTICE
                         else None),
    }
    context.update({
        "summary_form": SummaryForm(initial={"summary": item.summary, "version": item.version}),
        "return_form": _return_form(found, initial={"version": item.version}),
        "submit_form": SubmitForm(initial={"version": item.version}),
        "recall_form": ProposalRecallForm(initial={"version": item.version}),
        "upload_form": ProposalAttachmentForm() if attaching else None,
        "publish_form": PublishForm(initial={"version": item.version,
                                             "days": services.DEFAULT_NOTICE_DAYS}),
        "comment_form": CommentForm(proposal=item),
        "many_form": ProposeManyForm(suggestions=suggestions,
                                     initial={"version": item.version}) if editing else None,
        **forms,
    })
    return render(request, "awards/proposal.html", context)


def _why_incomplete(found) -> str | None:
    if found.complete:
        return None
    return _("complete the checklist first: %(missing)s") % {
        "missing": missing_text(found.missing)}


def _return_form(found, *args, **kwargs):
    """The return's parts to tick are those of the list's checklist."""
    form = ReturnForm(*args, **kwargs)
    form.fields["parts"].choices = [(p.part, p.label) for p in found.parts]
    return form


# A stale page's form is shown again as typed, over the list as it now stands.
STALE_KEPT = gettext_lazy("Someone else changed this list after you opened the page, so "
                          "nothing was saved. The page now shows the list as it stands, with "
                          "what you typed still in the form: check it, then send it again.")


def _fail(request, error, *, kept=False):
    """The refusal as a message; `kept`: the page shows again what the person typed."""
    if isinstance(error, StaleEdit):
        messages.error(request, STALE_KEPT if kept else StaleEdit.message)
        return
    messages.error(request, error.message if hasattr(error, "message") else str(error))


def _keep_typing(form, item):
    return keep_typing(form, item.version)


@require_POST
def proposal_summary(request, pk):
    item = get_proposal_for(request.user, pk)
    require(can_edit_proposal(request.user, item))
    form = SummaryForm(request.POST)
    if form.is_valid():
        try:
            services.save_summary(item, summary=form.cleaned_data["summary"],
                                  version=form.cleaned_data["version"], user=request.user)
        except (StaleEdit, services.WorkflowError) as error:
            _fail(request, error, kept=True)
            item.refresh_from_db()
            return _page(request, item, summary_form=_keep_typing(form, item))
        messages.success(request, _("The unit's achievements were saved."))
    return redirect("awards:proposal", item.pk)


def nominee_form(request, pk, nominee_pk=None):
    item = get_proposal_for(request.user, pk)
    require(can_edit_proposal(request.user, item))
    nominee = (get_object_or_404(Nominee, pk=nominee_pk, proposal=item) if nominee_pk
               else Nominee(proposal=item))
    form = NomineeForm(request.POST or None, instance=nominee, unit=item.unit, year=item.year,
                       initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_nominee(item, nominee=form.save(commit=False),
                                  version=form.cleaned_data["version"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        except (StaleEdit, services.WorkflowError) as error:
            # Shown again as typed, on top of the list as it now stands.
            form.add_error(None, STALE_KEPT if isinstance(error, StaleEdit) else error.message)
            item.refresh_from_db()
            _keep_typing(form, item)
        else:
            messages.success(request, _("The nominee was saved."))
            return redirect("awards:proposal", item.pk)
    return render(request, "awards/nominee_form.html", {"proposal": item, "form": form,
                                                        "nominee": nominee})


@require_POST
def propose_many(request, pk):
    """The head proposes the ticked suggestions at once, each checked as a single one is."""
    item = get_proposal_for(request.user, pk)
    require(can_edit_proposal(request.user, item))
    form = ProposeManyForm(request.POST, suggestions=services.suggestions(item))
    if not form.is_valid():
        return _page(request, item, many_form=form)
    try:
        done = services.propose_many(item, picks=form.picks(),
                                     version=form.cleaned_data["version"], user=request.user)
    except (StaleEdit, services.WorkflowError) as error:
        _fail(request, error, kept=True)
        item.refresh_from_db()
        return _page(request, item, many_form=_keep_typing(form, item))
    messages.success(request, ngettext("%(count)s nominee was added to the list.",
                                       "%(count)s nominees were added to the list.",
                                       len(done.added)) % {"count": len(done.added)})
    if done.refused:
        messages.warning(request, _("Not added, as they do not meet every condition now "
                                    "(propose them one by one, with a justification): "
                                    "%(names)s.")
                         % {"names": "; ".join(f"{name} – {award}: {why}"
                                               for name, award, why in done.refused)})
    return redirect("awards:proposal", item.pk)


@require_POST
def nominee_remove(request, pk, nominee_pk):
    item = get_proposal_for(request.user, pk)
    require(can_edit_proposal(request.user, item))
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


def _reviewer(user, proposal) -> bool:
    return can_review_proposals(user)


def _director(user, proposal) -> bool:
    return can_approve(user)


# step → (who may take it, the form, the service, the message on success). Every service
# takes the list, the form's cleaned fields by name and the user.
STEPS = {
    "submit": (can_edit_proposal, SubmitForm, services.submit,
               gettext_lazy("The list was sent to the Office and the Union.")),
    "recall": (can_edit_proposal, ProposalRecallForm, services.recall,
               gettext_lazy("The list was recalled: correct it, then send it again.")),
    "accept": (_reviewer, VersionForm, services.accept,
               gettext_lazy("The list was found complete.")),
    "return": (_reviewer, ReturnForm, services.send_back,
               gettext_lazy("The list was returned to the unit.")),
    "publish": (_reviewer, PublishForm, services.publish,
                gettext_lazy("The list is on public notice.")),
    "approve": (_director, VersionForm, services.approve,
                gettext_lazy("The list was approved.")),
}


# The steps whose form has something typed in it: refused, the page shows it again as typed.
TYPED = {"return": "return_form", "publish": "publish_form", "submit": "submit_form",
         "recall": "recall_form"}


@require_POST
def proposal_step(request, pk, step):
    if step not in STEPS:
        raise Http404
    item = get_proposal_for(request.user, pk)
    allowed, form_class, act, done = STEPS[step]
    require(allowed(request.user, item))
    form = form_class(request.POST)
    if not form.is_valid():
        if step in TYPED:
            return _page(request, item, **{TYPED[step]: form})
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("awards:proposal", item.pk)
    try:
        act(item, user=request.user, **form.cleaned_data)
    except (StaleEdit, services.WorkflowError) as error:
        _fail(request, error, kept=step in TYPED)
        if step in TYPED:
            item.refresh_from_db()
            return _page(request, item, **{TYPED[step]: _keep_typing(form, item)})
    else:
        messages.success(request, done)
    return redirect("awards:proposal", item.pk)


@require_POST
def proposal_comment(request, pk):
    item = get_proposal_for(request.user, pk)
    form = CommentForm(request.POST, proposal=item)
    if form.is_valid():
        try:
            # A repeated POST of the same comment (double click, resent form) is stored once.
            services.comment(item, text=form.cleaned_data["text"],
                             nominee=form.cleaned_data["nominee"], user=request.user)
        except services.WorkflowError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Your comment was recorded for the council."))
            return redirect("awards:proposal", item.pk)
    return _page(request, item, comment_form=form)


def proposal_vote(request, pk):
    item = get_proposal_for(request.user, pk)
    require(can_review_proposals(request.user))
    why_not = (services.why_not_vote(item, services.review_proposal(item))
               if item.stage == ProposalStage.NOTICE else
               _("This list is at the stage “%(stage)s”: its vote cannot be recorded now.")
               % {"stage": item.get_stage_display()})
    if why_not:
        # Not offered yet: the page says when it will be, rather than a form refused when full.
        if request.method == "POST":
            messages.error(request, why_not)
        return render(request, "awards/vote.html", {"proposal": item, "why_not": why_not})
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
        except StaleEdit:
            form.add_error(None, STALE_KEPT)
            item.refresh_from_db()
            _keep_typing(form, item)
        except services.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The council's vote was recorded."))
            return redirect("awards:proposal", item.pk)
    return render(request, "awards/vote.html", {"proposal": item, "form": form})
