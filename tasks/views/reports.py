"""The progress report page, its evidence, and the review of reports.

The value, the narrative and the evidence are one form. Each of its buttons — Save draft,
Upload, Remove, Submit — saves what is on screen and then does its step, all in one transaction
(`services.save_page`). A refused press shows the page again with everything typed and the
reason beside the field; a page someone saved meanwhile shows their version beside the typing
instead of wiping it. Reviewers move from one report to the next of their queue.
"""

from copy import copy
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campaigns.models import CampaignStatus, ContentItem
from core.uploads import PREVIEWABLE, send_preview, send_stored
from units.access import can_view_every_unit, require
from units.collation import display_name, vi
from units.models import Unit

from .. import services
from ..access import (
    can_edit_report,
    can_report_for,
    can_review_reports,
    get_assignment_for,
    get_evidence_for,
    get_report_for,
)
from ..forms import (
    BulkAcceptForm,
    EvidenceForm,
    QueueFilterForm,
    ReopenForm,
    ReportForm,
    ReviewForm,
    SubmitForm,
)
from ..history import history_of
from ..models import (
    IndicatorKind,
    ProgressReport,
    ReportAction,
    ReportStatus,
    Task,
    closed_reason,
)

# The history step each button of the report page leaves: a second request of one click
# (a double click, a resent form) is recognised by it and answered as the first was.
STEPS = {
    "save": {ReportAction.SAVED},
    "upload": {ReportAction.EVIDENCE_ADDED, ReportAction.SAVED},
    "remove": {ReportAction.EVIDENCE_REMOVED},
    "submit": {ReportAction.SUBMITTED, ReportAction.RESUBMITTED},
}


# --- the report page ---------------------------------------------------------------------------

def report_start(request, pk, period):
    """The head opens (or creates on first save) the report of one period."""
    assignment = get_assignment_for(request.user, pk)
    require(can_report_for(request.user, assignment.unit_id))
    found = assignment.period(period)
    if found is None:
        raise Http404
    existing = assignment.reports.filter(period=period).first()
    if existing is not None:
        if request.method == "POST":
            # Someone created it after this page was opened: their version beside this typing.
            return _post(request, assignment=assignment, period=found, report=existing)
        return redirect(existing)
    if request.method == "POST":
        return _post(request, assignment=assignment, period=found, report=None)
    return _new_page(request, assignment, found)


def report_detail(request, pk):
    report = get_report_for(request.user, pk)
    if request.method == "POST":
        require(can_report_for(request.user, report.assignment.unit_id), report)
        assignment = report.assignment
        return _post(request, assignment=assignment, period=assignment.period(report.period),
                     report=report)
    return _page(request, report)


def _pressed(request) -> tuple[str, str | None]:
    """The button pressed: ("remove", evidence key) or (save | upload | submit, None)."""
    if request.POST.get("remove"):
        return "remove", request.POST["remove"]
    action = request.POST.get("action", "save")
    return (action if action in STEPS else "save"), None


def _post(request, *, assignment, period, report):
    """One press on the report page (new or existing report), all or nothing."""
    action, remove_key = _pressed(request)
    # The form writes what was typed onto its instance: a copy keeps `report` as stored.
    instance = copy(report) if report is not None else ProgressReport(assignment=assignment)
    form = ReportForm(request.POST, request.FILES, instance=instance, assignment=assignment,
                      action=action)
    if not form.is_valid():
        return _again(request, assignment, period, report, form=form)
    remove = None
    if action == "remove" and report is not None:
        if remove_key.isascii() and remove_key.isdigit() and len(remove_key) < 19:
            remove = report.evidence.filter(pk=remove_key).first()
        if remove is None:
            if report.just_done_by(request.user, STEPS["remove"], form.values()):
                return _done(request, report, {"repeat"}, action)
            # Removed in another tab meanwhile: what was typed is still saved.
            messages.info(request, _("That file had already been removed."))
    try:
        report, done = services.save_page(
            assignment=assignment, period=period, user=request.user, report=report,
            data=form.values(), expected_version=form.cleaned_data["version"],
            checked=form.checked, upload=form.cleaned_data["file"] or None, remove=remove,
            submit_after=action == "submit")
    except (services.StaleEdit, ValidationError) as error:
        fresh = (ProgressReport.objects.filter(pk=report.pk) if report is not None
                 else assignment.reports.filter(period=period.key)).first()
        if fresh is not None and fresh.just_done_by(request.user, STEPS[action], form.values()):
            return _done(request, fresh, {"repeat"}, action)
        if isinstance(error, services.StaleEdit):
            return _again(request, assignment, period, fresh, form=form, conflict=True)
        form.add_error(None, error)
        return _again(request, assignment, period, fresh, form=form)
    return _done(request, report, done, action)


def _done(request, report, done, action):
    """Say what the press did (a repeated press: what the first one did) and show the report."""
    if "repeat" in done:
        done = {"submit": {"submitted"}, "upload": {"added"}, "remove": {"removed"}}.get(
            action, {"saved"})
    said = []
    if "submitted" in done:
        said.append(_("The report was sent to the Office and the Union for review."))
    if "added" in done:
        said.append(_("The file was added."))
    if "duplicate" in done:
        said.append(_("This file is already attached; it was not added twice."))
    if "removed" in done:
        said.append(_("The file was removed."))
    if "saved" in done:
        said.append(_("Your changes on the page were saved too.") if len(said) else
                    _("The report was saved."))
    if not said:
        said.append(_("Nothing had changed, so nothing was saved."))
    messages.success(request, " ".join(said))
    return redirect(report)


def _again(request, assignment, period, report, *, form, conflict=False):
    """The page again after a refused press, with everything typed (the file must be chosen
    again: no browser lets a page fill a file box)."""
    if report is None:
        return _new_page(request, assignment, period, form=form)
    if conflict:
        # The typing stays; the form now carries the stored version, so saving again replaces
        # it knowingly.
        data = request.POST.copy()
        data["version"] = str(report.version)
        form = ReportForm(data, assignment=assignment, action="save",
                          instance=ProgressReport(assignment=assignment, period=report.period))
    return _page(request, report, form=form, conflict=conflict,
                 file_lost=bool(request.FILES.get("file")))


def _typed(form) -> list[tuple[str, str]]:
    """What a person typed in a form that can no longer be offered: (label, text) to copy."""
    lines = []
    for name, field in form.fields.items():
        if name in ("version", "file"):
            continue
        text = form.data.get(form.add_prefix(name), "")
        choices = dict((str(k), v) for k, v in getattr(field, "choices", []))
        lines.append((field.label, choices.get(text, text)))
    return [line for line in lines if line[1]]


def _reasons(form, report, closed) -> list[str]:
    """Why a typed form could not be taken: its refusals, else the report's state."""
    if closed:
        return []  # the page says it above
    return list(form.non_field_errors()) or [_("This report was submitted; it can no longer "
                                               "be changed.")]


def _new_page(request, assignment, period, *, form=None):
    closed = closed_reason(assignment.task.item.campaign)
    kept, kept_reasons = [], []
    if closed and form is not None:
        kept, form = _typed(form), None
    elif form is None and not closed:
        form = ReportForm(assignment=assignment)
    return render(request, "tasks/report_new.html", {
        "assignment": assignment, "task": assignment.task, "period": period, "form": form,
        "closed": closed, "kept": kept, "kept_reasons": kept_reasons,
        "unsaved": form is not None and form.is_bound,
        "submit_question": _submit_question(period.label),
    })


def _submit_question(period_label):
    return _("Send the report for %(period)s to the Office and the Union for review? Once "
             "sent it can no longer be changed.") % {"period": period_label}


def _page(request, report, *, form=None, review_form=None, reopen_form=None, conflict=False,
          file_lost=False):
    assignment = report.assignment
    closed = report.closed_reason
    can_edit = can_edit_report(request.user, report)
    reviews = can_review_reports(request.user)
    kept, kept_reasons = [], []
    if form is not None and not can_edit:
        # Submitted meanwhile (another tab), or the plan closed: the typing is shown to copy.
        kept, kept_reasons, form = _typed(form), _reasons(form, report, closed), None
        conflict = False
    elif form is None and can_edit:
        form = ReportForm(instance=report, assignment=assignment)
    queue = _queue_param(request)
    subject = {"period": report.period_label, "unit": assignment.unit.name}
    context = {
        "report": report, "assignment": assignment, "task": assignment.task,
        "form": form, "can_edit": can_edit, "closed": closed, "kept": kept,
        "kept_reasons": kept_reasons, "mine": conflict and _typed(form),
        "unsaved": form is not None and form.is_bound, "file_lost": file_lost,
        "conflict": conflict, "conflict_message": services.ReportConflict.message,
        "last_step": conflict and report.events.select_related(
            "actor__staff_member").order_by("-at", "-id").first(),
        "can_review": reviews and report.status == ReportStatus.SUBMITTED,
        "can_reopen": reviews and report.status == ReportStatus.ACCEPTED and not closed,
        "review_form": review_form or ReviewForm(initial={"version": report.version,
                                                          "queue": queue}),
        "reopen_form": reopen_form or ReopenForm(initial={"version": report.version,
                                                          "queue": queue}),
        "submit_question": _submit_question(report.period_label),
        "accept_question": _("Accept the report for %(period)s of %(unit)s?") % subject,
        "return_question": _("Return the report for %(period)s to %(unit)s for correction?")
        % subject,
        "reopen_question": _("Reopen the accepted report for %(period)s of %(unit)s and send "
                             "it back to the unit?") % subject,
        "queue": queue,
        "events": report.events.select_related("actor__staff_member"),
        # Each step with what it changed, before → after (tasks/_history.html).
        "history": history_of(report.events.select_related("actor__staff_member"),
                              yes_no=assignment.task.indicator_kind == IndicatorKind.YES_NO),
        "evidence": report.evidence.all(),
        "previewable": PREVIEWABLE,
    }
    if queue is not None and can_view_every_unit(request.user):
        following = _next_in_queue(queue, report)
        context["next_url"] = following and _in_queue(following, queue)
        context["queue_url"] = _queue_url(queue)
    return render(request, "tasks/report_detail.html", context)


# --- the legacy single-purpose endpoints ------------------------------------------------------
# They take a file, a version or an evidence key alone, without the page's typed values (none
# is lost), and answer with a redirect as before.

@require_POST
def report_submit(request, pk):
    report = get_report_for(request.user, pk, edit=True)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        # Not a version this page ever held: refused as a stale page is.
        messages.error(request, services.ReportConflict.message)
        return redirect(report)
    assignment = report.assignment
    try:
        services.save_page(assignment=assignment, period=assignment.period(report.period),
                           user=request.user, report=report, submit_after=True,
                           expected_version=form.cleaned_data["version"])
    except (services.StaleEdit, ValidationError) as error:
        report.refresh_from_db()
        if report.just_done_by(request.user, STEPS["submit"]):
            return _done(request, report, {"repeat"}, "submit")
        messages.error(request, services.ReportConflict.message
                       if isinstance(error, services.StaleEdit) else " ".join(error.messages))
        return redirect(report)
    return _done(request, report, {"submitted"}, "submit")


@require_POST
def evidence_upload(request, pk):
    report = get_report_for(request.user, pk, edit=True)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("file", [])))
        return redirect(report)
    assignment = report.assignment
    try:
        report, done = services.save_page(
            assignment=assignment, period=assignment.period(report.period), user=request.user,
            report=report, checked=form.checked, upload=form.cleaned_data["file"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    return _done(request, report, done, "upload")


@require_POST
def evidence_delete(request, pk):
    evidence = get_evidence_for(request.user, pk)
    report = get_report_for(request.user, evidence.report_id, edit=True)
    assignment = report.assignment
    try:
        services.save_page(assignment=assignment, period=assignment.period(report.period),
                           user=request.user, report=report, remove=evidence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    return _done(request, report, {"removed"}, "remove")


# --- evidence ------------------------------------------------------------------------------------

def evidence_download(request, pk):
    """The file as an attachment, whatever its type."""
    return send_stored(get_evidence_for(request.user, pk))


def evidence_preview(request, pk):
    """A PDF or a photo shown in the browser (the same access as the download); other types
    have no preview."""
    evidence = get_evidence_for(request.user, pk)
    if evidence.extension not in PREVIEWABLE:
        raise Http404
    return send_preview(evidence)


# --- review ----------------------------------------------------------------------------------

@require_POST
def report_review(request, pk):
    report = get_report_for(request.user, pk, review=True)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _page(request, report, review_form=form)
    data = form.cleaned_data
    returning = data["decision"] == "return"
    step = ReportAction.RETURNED if returning else ReportAction.ACCEPTED
    try:
        if returning:
            services.return_report(report=report, user=request.user, reason=data["comment"],
                                   expected_version=data["version"])
        else:
            services.accept(report=report, user=request.user, comment=data["comment"],
                            expected_version=data["version"])
    except (services.StaleEdit, ValidationError) as error:
        report.refresh_from_db()
        if not report.just_done_by(request.user, {step}, comment=data["comment"]):
            messages.error(request, _decided_meanwhile(report, data["comment"])
                           if isinstance(error, services.StaleEdit)
                           else " ".join(error.messages))
            return _page(request, report, review_form=form)
    messages.success(request, _("The report was returned to the unit.") if returning
                     else _("The report was accepted."))
    return _to_next(request, report, data["queue"])


def _decided_meanwhile(report, comment) -> str:
    """A review refused as stale: who decided meanwhile, so the two reviewers can talk, and
    the comment typed, which the page (no longer awaiting review) has no box to keep."""
    last = report.events.select_related("actor__staff_member").order_by("-at", "-id").first()
    text = _("Someone else reviewed this report after you opened it; your decision was not "
             "recorded. Here is the report as it stands now.")
    if last is not None:
        text = _("%(who)s %(step)s this report at %(when)s, after you opened it; your decision "
                 "was not recorded. Here is the report as it stands now.") % {
            "who": display_name(last.actor), "step": last.get_action_display(),
            "when": date_format(timezone.localtime(last.at), "SHORT_DATETIME_FORMAT")}
    if comment:
        text += " " + _("What you wrote: “%(comment)s”") % {"comment": comment}
    return text


@require_POST
def report_reopen(request, pk):
    report = get_report_for(request.user, pk, review=True)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write why the report is reopened."))
        return _page(request, report, reopen_form=form)
    try:
        services.reopen(report=report, user=request.user, reason=form.cleaned_data["reason"],
                        expected_version=form.cleaned_data["version"])
    except (services.StaleEdit, ValidationError) as error:
        report.refresh_from_db()
        if not report.just_done_by(request.user, {ReportAction.REOPENED}):
            messages.error(request, services.ReportConflict.message
                           if isinstance(error, services.StaleEdit)
                           else " ".join(error.messages))
            return _page(request, report, reopen_form=form)
    messages.success(request, _("The report was reopened and returned to the unit."))
    return redirect(_in_queue(report, form.cleaned_data["queue"] or None))


# --- the review queue --------------------------------------------------------------------------

SORTS = {
    "submitted": "submitted_at", "-submitted": "-submitted_at",
    "unit": vi("assignment__unit__name").asc(), "-unit": vi("assignment__unit__name").desc(),
    "period": "period", "-period": "-period", "due": "period_due", "-due": "-period_due",
}


def _queue(query, *, listed=False):
    """The queue's filter form, its reports in order before the status filter, the status
    shown (submitted unless the person chose another, "" for all) and the sort key.

    `listed`: the queue page itself, whose period filter lists the periods there are; finding
    the next report needs only the filters' values."""
    units = Unit.objects.active().exclude(parent__isnull=True)
    items = ContentItem.objects.filter(campaign__status="launched").select_related("campaign")
    periods = () if not listed else (
        Task.objects.exclude(item__campaign__status=CampaignStatus.DRAFT)
        .values_list("cadence", "item__campaign__year").distinct())
    form = QueueFilterForm(query or None, items=items, units=units, periods=periods,
                           initial={"status": ReportStatus.SUBMITTED})  # what it lists at first
    reports = ProgressReport.objects.select_related(
        "assignment__unit", "assignment__task__item__campaign")
    status = ReportStatus.SUBMITTED
    if form.is_valid():
        data = form.cleaned_data
        status = data["status"] if "status" in query else status
        if data["item"]:
            reports = reports.filter(assignment__task__item=data["item"])
        if data["unit"]:
            reports = reports.filter(assignment__unit=data["unit"])
        if data["period"]:
            reports = reports.filter(period=data["period"])
    elif form.is_bound:
        reports = reports.none()  # a filter with a mistake lists nothing, not everything
    sort = query.get("sort", "submitted")
    return form, reports.order_by(SORTS.get(sort, "submitted_at"), "id"), status, sort


def _queue_param(request) -> str | None:
    """The queue the report was opened from (`?queue=item=3&sort=unit`), None if not."""
    queue = request.GET.get("queue", request.POST.get("queue"))
    return None if queue is None else QueryDict(queue[:1000]).urlencode()


def _queue_url(queue) -> str:
    query = QueryDict(queue or "").urlencode()  # re-encoded: only a query string, never a URL
    return reverse("tasks:queue") + (f"?{query}" if query else "")


def _in_queue(report, queue) -> str:
    """A report's page that remembers the queue it was opened from."""
    url = report.get_absolute_url()
    return url if queue is None else f"{url}?{urlencode({'queue': queue})}"


def _next_in_queue(queue, report) -> ProgressReport | None:
    """The report awaiting review that follows `report` in the queue's filters and order
    (from the top again past the end), or None when no other waits."""
    _form, reports, _status, _sort = _queue(QueryDict(queue or ""))
    keys = list(reports.filter(Q(status=ReportStatus.SUBMITTED) | Q(pk=report.pk))
                .values_list("pk", flat=True))
    at = keys.index(report.pk) if report.pk in keys else -1
    following = [pk for pk in keys[at + 1:] + keys[:max(at, 0)] if pk != report.pk]
    return ProgressReport(pk=following[0]) if following else None


def _to_next(request, report, queue):
    """After a review: the next report of the same queue, or the queue when none is left."""
    following = _next_in_queue(queue, report)
    if following is None:
        messages.info(request, _("No other report awaits review in this list."))
        return redirect(_queue_url(queue))
    return redirect(_in_queue(following, queue or ""))


def review_queue(request):
    """Reports for the Office and the Union, oldest submission first; directors read it."""
    require(can_view_every_unit(request.user))
    form, reports, status, sort = _queue(request.GET, listed=True)
    if status:
        reports = reports.filter(status=status)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    here = query.copy()
    here["sort"] = sort
    return render(request, "tasks/review_queue.html", {
        "form": form, "page": page, "sort": sort, "query": query.urlencode(),
        "page_query": f"{query.urlencode()}&{urlencode({'sort': sort})}&",
        "today": timezone.localdate(), "queue": here.urlencode(),
        "report_query": urlencode({"queue": here.urlencode()}),
        "can_accept": can_review_reports(request.user)
        and any(r.status == ReportStatus.SUBMITTED for r in page),
    })


@require_POST
def queue_accept(request):
    """Accept the reports ticked in the queue, each as a single accept would."""
    require(can_review_reports(request.user))
    form = BulkAcceptForm(request.POST)
    queue = request.POST.get("queue", "")
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("reports", [])))
        return redirect(_queue_url(queue))
    outcome = services.accept_many(picked=form.cleaned_data["reports"], user=request.user)
    accepted = ngettext("Accepted %(count)s report", "Accepted %(count)s reports",
                        len(outcome["accepted"])) % {"count": len(outcome["accepted"])}
    skipped = len(outcome["skipped"])
    if skipped:
        messages.warning(request, _("%(accepted)s; %(skipped)s.") % {
            "accepted": accepted,
            "skipped": ngettext("%(count)s report had already been handled by someone else "
                                "and was skipped",
                                "%(count)s reports had already been handled by someone else "
                                "and were skipped", skipped) % {"count": skipped}})
    else:
        messages.success(request, f"{accepted}.")
    return redirect(_queue_url(queue))
