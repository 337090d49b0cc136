from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.access import can_manage_campaigns, get_campaign_for
from campaigns.models import CampaignStatus, ContentItem
from units.access import can_view_every_unit, get_unit_for, require, viewer_for
from units.collation import vi

from .. import services
from ..access import can_report_for, get_assignment_for, get_task_for
from ..forms import (
    AssignForm,
    AssignmentTermsForm,
    TaskForm,
)
from ..models import Assignment, Task, Workload


def campaign_tasks(request, pk):
    """Every task of a plan, under its content item, with how many units carry it."""
    campaign = get_campaign_for(request.user, pk)
    tasks = (Task.objects.visible_to(viewer_for(request.user)).filter(item__campaign=campaign)
             .select_related("lead_unit", "item").with_assignment_count())
    items = list(campaign.items.all())
    by_item = {item.pk: [] for item in items}
    for task in tasks:
        by_item[task.item_id].append(task)
    return render(request, "tasks/campaign_tasks.html", {
        "campaign": campaign, "sections": [(item, by_item[item.pk]) for item in items],
        "can": {"manage_campaigns": can_manage_campaigns(request.user),
                "view_every_unit": can_view_every_unit(request.user)},
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
        messages.success(request, ngettext("%(count)s unit was added to the task.",
                                           "%(count)s units were added to the task.", added)
                         % {"count": added})
        return redirect(task)
    return render(request, "tasks/task_assign.html", {"form": form, "task": task})


def task_detail(request, pk):
    task = get_task_for(request.user, pk)
    today = timezone.localdate()
    assignments = task.assignments.visible_to(viewer_for(request.user)).with_progress(today)
    sort = request.GET.get("sort", "unit")
    assignments = assignments.order_by(TASK_SORTS.get(sort, TASK_SORTS["unit"]), "id")
    page = Paginator(assignments, 50).get_page(request.GET.get("page"))
    rows = [(a, a.overdue_count(today)) for a in page]
    return render(request, "tasks/task_detail.html",
                  {"task": task, "rows": rows, "page": page, "sort": sort, "today": today,
                   "page_query": urlencode({"sort": sort}) + "&",
                   "can": {"manage_campaigns": can_manage_campaigns(request.user)}})


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
    assignments = list(Assignment.objects.for_unit(unit.pk).with_progress(today))
    rows = _assignment_rows(assignments, today)
    rows.sort(key=lambda r: (-r["a"].returned_count, -r["overdue"],
                             r["next"].due if r["next"] else today))
    # A closed plan's work is history: listed apart, never shown as overdue (Workload).
    running = [r for r in rows if r["a"].task.item.campaign.status == CampaignStatus.LAUNCHED]
    ended = [r for r in rows if r not in running]
    return render(request, "tasks/unit_assignments.html", {
        "unit": unit, "rows": running, "ended": ended, "today": today,
        "work": Workload.of(assignments, today),
    })


def assignment_detail(request, pk):
    assignment = get_assignment_for(request.user, pk)
    today = timezone.localdate()
    reports = {r.period: r for r in assignment.reports.all()}
    periods = [(p, reports.get(p.key)) for p in assignment.periods()]
    return render(request, "tasks/assignment_detail.html", {
        "assignment": assignment, "task": assignment.task, "periods": periods, "today": today,
        "can_report": can_report_for(request.user, assignment.unit_id),
        "can": {"manage_campaigns": can_manage_campaigns(request.user)},
    })


def assignment_terms(request, pk):
    """The Office gives one unit its own target or deadline."""
    assignment = get_assignment_for(request.user, pk)
    require(can_manage_campaigns(request.user))
    form = AssignmentTermsForm(request.POST or None, instance=assignment)
    if form.is_valid():
        services.save_assignment_terms(form=form, user=request.user)
        messages.success(request, _("The unit's own target and deadline were saved."))
        return redirect(assignment)
    return render(request, "tasks/assignment_terms.html",
                  {"form": form, "assignment": assignment, "task": assignment.task})
