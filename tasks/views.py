from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.access import get_campaign_for
from campaigns.models import ContentItem
from units.access import get_unit_for, require, viewer_for
from units.collation import vi
from units.models import Unit

from . import services
from .access import get_assignment_for, get_evidence_for, get_report_for, get_task_for
from .forms import (
    AssignForm,
    AssignmentTermsForm,
    EvidenceForm,
    QueueFilterForm,
    ReopenForm,
    ReportForm,
    ReviewForm,
    SubmitForm,
    TaskForm,
)
from .models import Assignment, ProgressReport, ReportStatus, Task
from .uploads import send_stored


def _stale(request):
    messages.error(request, services.StaleEdit.message)


def campaign_tasks(request, pk):
    """Every task of a plan, under its content item, with how many units carry it."""
    campaign = get_campaign_for(request.user, pk)
    viewer = viewer_for(request.user)
    tasks = Task.objects.filter(item__campaign=campaign).select_related("lead_unit", "item")
    if not viewer.reads_everything:
        tasks = tasks.filter(assignments__unit_id=viewer.unit_id)
    tasks = tasks.with_assignment_count()
    items = list(campaign.items.all())
    by_item = {item.pk: [] for item in items}
    for task in tasks:
        by_item[task.item_id].append(task)
    return render(request, "tasks/campaign_tasks.html", {
        "campaign": campaign, "sections": [(item, by_item[item.pk]) for item in items],
    })


def task_create(request, item_pk):
    item = get_object_or_404(ContentItem.objects.select_related("campaign"), pk=item_pk)
    get_campaign_for(request.user, item.campaign_id, manage=True)
    form = TaskForm(request.POST or None, item=item, instance=Task(item=item))
    if form.is_valid():
        task = services.save_task(form=form, user=request.user)
        messages.success(request, _("The task was created. Now assign it to units."))
        return redirect("tasks:assign", task.pk)
    return render(request, "tasks/task_form.html", {"form": form, "item": item})


def task_edit(request, pk):
    task = get_task_for(request.user, pk, manage=True)
    form = TaskForm(request.POST or None, item=task.item, instance=task)
    if form.is_valid():
        services.save_task(form=form, user=request.user)
        messages.success(request, _("The task was saved."))
        return redirect(task)
    return render(request, "tasks/task_form.html", {"form": form, "item": task.item,
                                                     "task": task})


def task_assign(request, pk):
    task = get_task_for(request.user, pk, manage=True)
    form = AssignForm(request.POST or None)
    if form.is_valid():
        added = services.assign(task=task, units=form.cleaned_data["units"], user=request.user)
        messages.success(request, _("%(count)s units were added to the task.") % {"count": added})
        return redirect(task)
    return render(request, "tasks/task_assign.html", {"form": form, "task": task})


def task_detail(request, pk):
    task = get_task_for(request.user, pk)
    viewer = viewer_for(request.user)
    today = timezone.localdate()
    assignments = task.assignments.with_progress(today)
    if not viewer.reads_everything:
        assignments = assignments.filter(unit_id=viewer.unit_id)
    sort = request.GET.get("sort", "unit")
    assignments = assignments.order_by(TASK_SORTS.get(sort, TASK_SORTS["unit"]), "id")
    page = Paginator(assignments, 50).get_page(request.GET.get("page"))
    rows = [(a, a.overdue_count(today)) for a in page]
    return render(request, "tasks/task_detail.html",
                  {"task": task, "rows": rows, "page": page, "sort": sort, "today": today,
                   "page_query": urlencode({"sort": sort}) + "&"})


# Sort keys of the task page's unit list: the column a person clicks, and its reverse.
TASK_SORTS = {
    "unit": vi("unit__name").asc(), "-unit": vi("unit__name").desc(),
    "status": "latest_status", "-status": "-latest_status",
    "period": "latest_period", "-period": "-latest_period",
    "reported": "reported_count", "-reported": "-reported_count",
}


def _assignment_rows(assignments, today):
    return [{"a": a, "overdue": a.overdue_count(today), "next": a.next_period(today)}
            for a in assignments]


def my_tasks(request):
    """The menu's "my unit's tasks": the signed-in person's unit page."""
    viewer = viewer_for(request.user)
    if viewer.unit_id is None:
        raise Http404
    return redirect("tasks:unit", viewer.unit_id)


def unit_assignments(request, pk):
    unit = get_unit_for(request.user, pk)
    today = timezone.localdate()
    rows = _assignment_rows(Assignment.objects.for_unit(unit.pk).with_progress(today), today)
    rows.sort(key=lambda r: (-r["a"].returned_count, -r["overdue"],
                             r["next"].due if r["next"] else today))
    return render(request, "tasks/unit_assignments.html", {
        "unit": unit, "rows": rows, "today": today,
        "overdue_total": sum(1 for r in rows if r["overdue"]),
        "returned_total": sum(1 for r in rows if r["a"].returned_count),
    })


def assignment_detail(request, pk):
    assignment = get_assignment_for(request.user, pk)
    today = timezone.localdate()
    reports = {r.period: r for r in assignment.reports.all()}
    periods = [(p, reports.get(p.key)) for p in assignment.periods()]
    return render(request, "tasks/assignment_detail.html", {
        "assignment": assignment, "task": assignment.task, "periods": periods, "today": today,
        "can_report": viewer_for(request.user).reports_for(assignment.unit_id),
    })


def assignment_terms(request, pk):
    """The Office gives one unit its own target or deadline."""
    assignment = get_assignment_for(request.user, pk)
    require(viewer_for(request.user).manages_campaigns)
    form = AssignmentTermsForm(request.POST or None, instance=assignment)
    if form.is_valid():
        services.save_assignment_terms(form=form, user=request.user)
        messages.success(request, _("The unit's own target and deadline were saved."))
        return redirect(assignment)
    return render(request, "tasks/assignment_terms.html",
                  {"form": form, "assignment": assignment, "task": assignment.task})


def report_start(request, pk, period):
    """The head opens (or creates on first save) the report of one period."""
    assignment = get_assignment_for(request.user, pk)
    require(viewer_for(request.user).reports_for(assignment.unit_id))
    found = assignment.period(period)
    if found is None:
        raise Http404
    existing = assignment.reports.filter(period=period).first()
    if existing:
        if request.method == "POST":
            _stale(request)  # someone created it after this page was opened: nothing was saved
        return redirect(existing)
    form = ReportForm(request.POST or None, assignment=assignment)
    if form.is_valid():
        try:
            report = services.save_report(assignment=assignment, period=found,
                                          data=form.cleaned_data, user=request.user)
        except services.StaleEdit:
            _stale(request)
            return redirect(assignment.reports.get(period=period))
        messages.success(request, _("The report was saved as a draft. Add evidence, then "
                                    "submit it."))
        return redirect(report)
    return render(request, "tasks/report_new.html",
                  {"assignment": assignment, "period": found, "form": form})


def report_detail(request, pk):
    report = get_report_for(request.user, pk)
    viewer = viewer_for(request.user)
    assignment = report.assignment
    can_edit = viewer.reports_for(assignment.unit_id) and report.is_editable
    form = evidence_form = None
    if can_edit:
        form = ReportForm(request.POST or None, instance=report, assignment=assignment)
        evidence_form = EvidenceForm()
        if request.method == "POST" and form.is_valid():
            try:
                services.save_report(assignment=assignment, period=assignment.period(
                    report.period), data=form.cleaned_data, user=request.user, report=report,
                    expected_version=form.cleaned_data["version"])
            except services.StaleEdit:
                _stale(request)
                report.refresh_from_db()
                form = ReportForm(instance=report, assignment=assignment)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("The report was saved."))
                return redirect(report)
    elif request.method == "POST":
        raise PermissionDenied  # only the head or a delegate writes, and only drafts/returns
    return render(request, "tasks/report_detail.html", {
        "report": report, "assignment": assignment, "task": assignment.task,
        "form": form, "evidence_form": evidence_form, "can_edit": can_edit,
        "can_review": viewer.reviews and report.status == ReportStatus.SUBMITTED,
        "can_reopen": viewer.reviews and report.status == ReportStatus.ACCEPTED,
        "review_form": ReviewForm(initial={"version": report.version}),
        "reopen_form": ReopenForm(initial={"version": report.version}),
        "events": report.events.select_related("actor__staff_member"),
        "evidence": report.evidence.all(),
    })


def _transition(request, report, action, **kwargs):
    try:
        action(report=report, user=request.user, **kwargs)
    except services.StaleEdit:
        _stale(request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        return True
    return False


@require_POST
def report_submit(request, pk):
    report = get_report_for(request.user, pk, edit=True)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        # Not a version this page ever held: refused as a stale page is.
        _stale(request)
    elif _transition(request, report, services.submit,
                     expected_version=form.cleaned_data["version"]):
        messages.success(request, _("The report was sent to the Office and the Union for "
                                    "review."))
    return redirect(report)


@require_POST
def report_review(request, pk):
    report = get_report_for(request.user, pk, review=True)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(report)
    data = form.cleaned_data
    if data["decision"] == "return":
        done = _transition(request, report, services.return_report, reason=data["comment"],
                           expected_version=data["version"])
        if done:
            messages.success(request, _("The report was returned to the unit."))
    else:
        done = _transition(request, report, services.accept, comment=data["comment"],
                           expected_version=data["version"])
        if done:
            messages.success(request, _("The report was accepted."))
    return redirect(report)


@require_POST
def report_reopen(request, pk):
    report = get_report_for(request.user, pk, review=True)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write why the report is reopened."))
    elif _transition(request, report, services.reopen, reason=form.cleaned_data["reason"],
                     expected_version=form.cleaned_data["version"]):
        messages.success(request, _("The report was reopened and returned to the unit."))
    return redirect(report)


@require_POST
def evidence_upload(request, pk):
    report = get_report_for(request.user, pk, edit=True)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        if _transition(request, report, services.add_evidence, checked=form.checked,
                       upload=form.cleaned_data["file"]):
            messages.success(request, _("The file was added."))
    else:
        messages.error(request, " ".join(form.errors.get("file", [])))
    return redirect(report)


@require_POST
def evidence_delete(request, pk):
    evidence = get_evidence_for(request.user, pk)
    report = get_report_for(request.user, evidence.report_id, edit=True)
    try:
        services.remove_evidence(evidence=evidence, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(report)


def evidence_download(request, pk):
    """Files are only ever sent as attachments, never rendered by the browser."""
    return send_stored(get_evidence_for(request.user, pk))


SORTS = {
    "submitted": "submitted_at", "-submitted": "-submitted_at",
    "unit": vi("assignment__unit__name").asc(), "-unit": vi("assignment__unit__name").desc(),
    "period": "period", "-period": "-period", "due": "period_due", "-due": "-period_due",
}


def review_queue(request):
    """Reports for the Office and the Union, oldest submission first; directors read it."""
    viewer = viewer_for(request.user)
    require(viewer.reads_everything)
    units = Unit.objects.active().exclude(parent__isnull=True)
    items = ContentItem.objects.filter(campaign__status="launched").select_related("campaign")
    form = QueueFilterForm(request.GET or None, items=items, units=units)
    reports = ProgressReport.objects.select_related(
        "assignment__unit", "assignment__task__item__campaign")
    status = ReportStatus.SUBMITTED
    if form.is_valid():
        data = form.cleaned_data
        status = data["status"] if "status" in request.GET else status
        if data["item"]:
            reports = reports.filter(assignment__task__item=data["item"])
        if data["unit"]:
            reports = reports.filter(assignment__unit=data["unit"])
        if data["period"]:
            reports = reports.filter(period=data["period"].strip())
    if status:
        reports = reports.filter(status=status)
    sort = request.GET.get("sort", "submitted")
    reports = reports.order_by(SORTS.get(sort, "submitted_at"), "id")
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    return render(request, "tasks/review_queue.html", {
        "form": form, "page": page, "sort": sort, "query": query.urlencode(),
        "page_query": f"{query.urlencode()}&{urlencode({'sort': sort})}&",
        "today": timezone.localdate(),
    })
