"""Role × URL matrix for every page of the scoring app, evidence downloads included."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.uploads import check_evidence
from scoring import services
from scoring.models import Score, Sheet

from ..helpers import READERS, ROLES, expect

PDF = b"%PDF-1.4\n%%EOF\n"



class World:
    """The scored plan with its self-assessment open and a file on unit A's manual criterion."""

    def __init__(self, cast, scored):
        self.campaign = scored.campaign
        self.round = services.open_first_round(scheme=scored.scheme,
                                               deadline=datetime.date(2099, 1, 1),
                                               user=cast.office)
        self.manual_a = Score.objects.get(round=self.round, unit=cast.unit_a,
                                          criterion=scored.c4)
        upload = SimpleUploadedFile("bien-ban.pdf", PDF)
        self.evidence = services.add_score_evidence(
            score=self.manual_a, checked=check_evidence(upload), upload=upload, user=cast.head_a)
        self.sheet_a = Sheet.objects.get(round=self.round, unit=cast.unit_a)
        self.unit_a, self.unit_b = cast.unit_a.pk, cast.unit_b.pk


MATRIX = [
    ("scoring:overview", lambda w: [w.campaign.pk], "get", expect(200)),
    # The scheme is no longer editable once the self-assessment is open: back to the overview.
    ("scoring:scheme", lambda w: [w.campaign.pk], "get", expect(403, office=302, admin=302)),
    ("scoring:copy", lambda w: [w.campaign.pk], "post", expect(403, office=302, admin=302)),
    # Without a deadline: the page again, the error beside the date.
    ("scoring:open", lambda w: [w.campaign.pk], "post", expect(403, office=200, admin=200)),
    ("scoring:advance", lambda w: [w.campaign.pk], "post",
     expect(403, office=200, union=200, admin=200)),
    ("scoring:lock", lambda w: [w.campaign.pk], "post", expect(403, director=302, admin=302)),
    ("scoring:recompute", lambda w: [w.campaign.pk], "post",
     expect(403, office=302, union=302, admin=302)),
    ("scoring:ranking", lambda w: [w.campaign.pk], "get", expect(200)),
    ("scoring:items", lambda w: [w.campaign.pk], "get", expect(403, **READERS)),
    ("scoring:compare", lambda w: [w.campaign.pk], "get", expect(200)),
    ("scoring:export", lambda w: [w.campaign.pk], "get", expect(403, **READERS)),
    ("scoring:sheet", lambda w: [w.campaign.pk, w.unit_a], "get", expect(200, head_b=404)),
    ("scoring:sheet", lambda w: [w.campaign.pk, w.unit_b], "get",
     expect(200, head_a=404, staff=404)),
    ("scoring:sheet", lambda w: [w.campaign.pk, w.unit_a], "post",
     expect(200, head_b=404)),
    ("scoring:confirm", lambda w: [w.campaign.pk, w.unit_a], "post",
     expect(403, head_a=302, head_b=404)),
    ("scoring:evidence_upload", lambda w: [w.manual_a.pk], "post",
     expect(403, head_a=302, head_b=404)),
    ("scoring:evidence", lambda w: [w.evidence.pk], "get", expect(200, head_b=404)),
    ("scoring:evidence_delete", lambda w: [w.evidence.pk], "post",
     expect(403, head_a=302, head_b=404)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "args", "method", "expected"), MATRIX,
    ids=[f"{m[0]}-{i}" for i, m in enumerate(MATRIX)],
)
def test_role_gets_expected_status(cast, client_for, scored, role, name, args, method,
                                   expected):
    world = World(cast, scored)
    url = reverse(name, args=args(world))

    response = getattr(client_for(cast.users()[role]), method)(url)

    assert response.status_code == expected[role], f"{role} {method.upper()} {url}"


def test_a_unit_head_sees_only_their_own_line_of_the_ranking(cast, client_for, scored):
    World(cast, scored)
    page = client_for(cast.head_a).get(reverse("scoring:ranking",
                                               args=[scored.campaign.pk])).content.decode()
    assert cast.unit_a.name in page
    assert cast.unit_b.name not in page


def test_a_head_posting_to_another_units_sheet_changes_nothing(cast, client_for, scored):
    world = World(cast, scored)
    manual_b = Score.objects.get(round=world.round, unit=cast.unit_b, criterion=scored.c4)
    sheet_b = Sheet.objects.get(round=world.round, unit=cast.unit_b)

    response = client_for(cast.head_a).post(
        reverse("scoring:sheet", args=[scored.campaign.pk, cast.unit_b.pk]),
        {"version": sheet_b.version, f"points_{manual_b.pk}": "20", f"note_{manual_b.pk}": "x"})

    assert response.status_code == 404
    manual_b.refresh_from_db()
    assert manual_b.points is None


def test_the_council_cannot_write_in_the_self_assessment(cast, client_for, scored):
    world = World(cast, scored)
    response = client_for(cast.office).post(
        reverse("scoring:sheet", args=[scored.campaign.pk, cast.unit_a.pk]),
        {"version": world.sheet_a.version, f"points_{world.manual_a.pk}": "20",
         f"note_{world.manual_a.pk}": "x"})
    assert response.status_code == 200  # the page, with no form
    world.manual_a.refresh_from_db()
    assert world.manual_a.points is None
    assert Decimal(0) == Sheet.objects.get(pk=world.sheet_a.pk).version - world.sheet_a.version
