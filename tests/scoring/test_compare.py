"""The round comparison lists what changed, and only that: points or a new note, said which,
and announces as many criteria as it lists."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from scoring import services
from scoring.models import Score, Sheet

from .every_state import rows_of

DEADLINE = datetime.date(2099, 12, 31)


@pytest.fixture
def two_rounds(scored, cast):
    """Unit A explains its manual criterion in the self-assessment; the council then lowers it
    with a comment, and comments criterion 1 without changing its points. Unit B: nothing."""
    first = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    own = Sheet.objects.get(round=first, unit=cast.unit_a)
    manual = Score.objects.get(round=first, unit=cast.unit_a, criterion=scored.c4)
    services.save_sheet(sheet=own, changes={manual: (D(18), "Có biên bản các quý")},
                        user=cast.head_a, expected_version=own.version)
    second = services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    sheet = Sheet.objects.get(round=second, unit=cast.unit_a)
    scores = {s.criterion_id: s for s in Score.objects.filter(round=second, unit=cast.unit_a)}
    services.save_sheet(sheet=sheet, changes={
        scores[scored.c4.pk]: (D("12.5"), "Thiếu biên bản quý 2"),
        scores[scored.c1.pk]: (scores[scored.c1.pk].points, "Đề nghị bổ sung số liệu quý 3"),
    }, user=cast.office, expected_version=sheet.version)
    return first, second


def compare(client, scored, first, second, **extra):
    return client.get(reverse("scoring:compare", args=[scored.campaign.pk]),
                      {"first": first.pk, "second": second.pk, **extra})


def test_only_what_changed_is_listed_and_said_which(cast, client_for, scored, two_rounds):
    first, second = two_rounds
    response = compare(client_for(cast.director), scored, first, second)
    rows = response.context["changes"]
    assert [(r["unit"], r["criterion"].number, r["points_changed"], r["note_changed"])
            for r in rows] == [(cast.unit_a, "1", False, True), (cast.unit_a, "4", True, True)]
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))
    assert "Điểm: 18 → 12,5" in page
    assert "không đổi" in page  # criterion 1: its points did not move
    assert "Đề nghị bổ sung số liệu quý 3" in page


def test_a_note_not_carried_into_the_next_round_is_no_change(cast, client_for, scored):
    first = services.open_first_round(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)
    own = Sheet.objects.get(round=first, unit=cast.unit_a)
    manual = Score.objects.get(round=first, unit=cast.unit_a, criterion=scored.c4)
    services.save_sheet(sheet=own, changes={manual: (D(18), "Có biên bản")}, user=cast.head_a,
                        expected_version=own.version)
    second = services.advance(scheme=scored.scheme, deadline=DEADLINE, user=cast.office)

    response = compare(client_for(cast.director), scored, first, second)

    assert response.context["changes"] == []
    html = response.content.decode()
    assert "0 tiêu chí thay đổi" in html
    assert rows_of(html) == 0


def test_the_count_announced_is_the_rows_listed(cast, client_for, scored, two_rounds):
    first, second = two_rounds
    for query in ({}, {"unit": cast.unit_a.pk}, {"unit": cast.unit_b.pk}):
        html = compare(client_for(cast.office), scored, first, second, **query).content.decode()
        announced = int(re.search(r'id="compare-count">(\d+)', html).group(1))
        assert announced == rows_of(html)
    html = compare(client_for(cast.office), scored, first, second).content.decode()
    assert cast.unit_b.label not in html.split('id="compare-count"')[1]  # nothing changed there
