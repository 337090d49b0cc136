"""Role × URL matrix for every page of the tasks app, evidence downloads included."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.uploads import check_evidence
from tasks import services

from ..helpers import READERS, ROLES, expect

PDF = b"%PDF-1.4\n%%EOF\n"



class World:
    def __init__(self, cast, work):
        self.work = work
        a = work.assignment_a
        self.report = services.save_report(assignment=a, period=a.period("2022-Q1"),
                                           data={"value": Decimal(70)}, user=cast.head_a)
        upload = SimpleUploadedFile("bien-ban.pdf", PDF)
        self.evidence = services.add_report_evidence(
            report=self.report, checked=check_evidence(upload), upload=upload, user=cast.head_a)
        self.submitted = services.save_report(assignment=a, period=a.period("2022-Q2"),
                                              data={"value": Decimal(90)}, user=cast.head_a)
        services.submit(report=self.submitted, user=cast.head_a)


MATRIX = [
    ("tasks:mine", lambda w: [], "get",
     expect(302, head_b=302, director=302, office=302, union=302, admin=302)),
    ("tasks:queue", lambda w: [], "get", expect(403, **READERS)),
    ("tasks:campaign", lambda w: [w.work.campaign.pk], "get", expect(200)),
    ("tasks:create", lambda w: [w.work.task.item_id], "get", expect(403, office=200, admin=200)),
    ("tasks:task", lambda w: [w.work.task.pk], "get", expect(200, staff=200)),
    ("tasks:edit", lambda w: [w.work.task.pk], "get", expect(403, office=200, admin=200)),
    ("tasks:assign", lambda w: [w.work.task.pk], "get", expect(403, office=200, admin=200)),
    ("tasks:unit", lambda w: [w.work.assignment_a.unit_id], "get", expect(200, head_b=404)),
    ("tasks:assignment", lambda w: [w.work.assignment_a.pk], "get", expect(200, head_b=404)),
    ("tasks:assignment_terms", lambda w: [w.work.assignment_a.pk], "get",
     expect(403, office=200, admin=200, head_b=404)),
    ("tasks:report_start", lambda w: [w.work.assignment_a.pk, "2022-Q3"], "get",
     expect(403, head_a=200, head_b=404)),
    ("tasks:report", lambda w: [w.report.pk], "get", expect(200, head_b=404)),
    ("tasks:report", lambda w: [w.report.pk], "post", expect(403, head_a=200, head_b=404)),
    ("tasks:submit", lambda w: [w.report.pk], "post", expect(403, head_a=302, head_b=404)),
    # An empty decision is refused on the page again (200), with what to fix.
    ("tasks:review", lambda w: [w.submitted.pk], "post",
     expect(403, office=200, union=200, admin=200, head_b=404)),
    ("tasks:reopen", lambda w: [w.submitted.pk], "post",
     expect(403, office=200, union=200, admin=200, head_b=404)),
    ("tasks:evidence_upload", lambda w: [w.report.pk], "post",
     expect(403, head_a=302, head_b=404)),
    ("tasks:evidence", lambda w: [w.evidence.pk], "get", expect(200, head_b=404)),
    ("tasks:evidence_preview", lambda w: [w.evidence.pk], "get", expect(200, head_b=404)),
    ("tasks:queue_accept", lambda w: [], "post", expect(403, office=302, union=302, admin=302)),
    ("tasks:evidence_delete", lambda w: [w.evidence.pk], "post",
     expect(404, head_a=302, director=403, office=403, union=403, admin=403, staff=403)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "args", "method", "expected"), MATRIX,
                         ids=[f"{m[0]}-{m[2]}-{i}" for i, m in enumerate(MATRIX)])
def test_role_gets_expected_status(cast, client_for, work, role, name, args, method, expected):
    world = World(cast, work)
    url = reverse(name, args=args(world))

    response = getattr(client_for(cast.users()[role]), method)(url)

    assert response.status_code == expected[role], f"{role} {method.upper()} {url}"
