"""Two people open the empty report of one period and both save it: the second is told that
someone else saved first, and nothing of theirs is written (no server error, no silent drop)."""

import pytest
from django.urls import reverse

from tasks import services
from tasks.models import ProgressReport, ReportEvent
from units.models import AuditEntry


def _data(narrative):
    return {"value": 40, "value_date": None, "narrative": narrative}


def test_creating_a_period_already_created_is_a_stale_edit(cast, work):
    period = work.assignment_a.period("2022-Q2")
    services.save_report(assignment=work.assignment_a, period=period, data=_data("first"),
                         user=cast.head_a)
    counts = (ReportEvent.objects.count(), AuditEntry.objects.count())

    with pytest.raises(services.StaleEdit):
        services.save_report(assignment=work.assignment_a, period=period, data=_data("second"),
                             user=cast.head_a)

    assert ProgressReport.objects.get(assignment=work.assignment_a).narrative == "first"
    assert (ReportEvent.objects.count(), AuditEntry.objects.count()) == counts


def test_posting_a_report_someone_created_meanwhile_keeps_the_typing(cast, client_for, work):
    url = reverse("tasks:report_start", args=[work.assignment_a.pk, "2022-Q2"])
    first, second = client_for(cast.head_a), client_for(cast.head_a)
    opened = second.get(url)
    first.post(url, {"value": "40", "narrative": "first", "action": "save"})

    page = second.post(url, {"value": "60", "narrative": "second", "action": "save",
                             "version": opened.context["form"]["version"].value() or ""})

    report = ProgressReport.objects.get(assignment=work.assignment_a)
    html = page.content.decode()
    assert page.status_code == 200
    assert str(services.ReportConflict.message) in html
    assert page.context["form"]["narrative"].value() == "second"  # kept in the form
    assert "first" in html  # the stored version, beside
    assert report.narrative == "first"
    assert not AuditEntry.objects.filter(action="report.saved", after__narrative="second")
