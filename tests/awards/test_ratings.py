"""Year-end ratings: the page, the cap on "excellent", and the Excel template and import."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from awards import imports, ratings
from awards.models import LegalPeriod, Rating, YearRating
from awards.years import latest_year_with_data
from units.models import AuditEntry, StaffMember

from ..factories import StaffMemberFactory
from ..helpers import READERS, ROLES, expect

YEAR = 2022
VI = {"excellent": "Hoàn thành xuất sắc nhiệm vụ", "good": "Hoàn thành tốt nhiệm vụ",
      "completed": "Hoàn thành nhiệm vụ", "failed": "Không hoàn thành nhiệm vụ"}


@pytest.fixture
def team(cast):
    """Unit A with ten active staff (the head and the staff member of the cast among them), an
    inactive one, and a 20 % cap on "excellent" for 2022."""
    LegalPeriod.objects.filter(pk=LegalPeriod.objects.for_year(YEAR).pk).update(
        excellent_cap=Decimal("20"), excellent_cap_source="Nghị định thử")
    for _ in range(8):
        StaffMemberFactory(unit=cast.unit_a)
    StaffMemberFactory(unit=cast.unit_a, is_active=False)
    people = list(StaffMember.objects.active().filter(unit=cast.unit_a).order_by("pk"))
    assert len(people) == 10
    return people


def _english(client):
    """The client's later pages in English, so messages can be matched against the msgids."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(name, unit, year=YEAR):
    return f"{reverse(name)}?year={year}&unit={unit.pk}"


def _post_data(client, unit, values):
    """The page's form as opened now, with `values` (staff → rating) filled in."""
    response = client.get(_url("awards:ratings", unit))
    form = response.context["form"]
    data = {"digest": form["digest"].value()}
    for person, field in form.rows():
        data[field.html_name] = values.get(person, field.value() or "")
    return data


# Access -------------------------------------------------------------------------------------

MATRIX = [
    ("awards:ratings", "unit_a", expect(200, head_b=404)),
    ("awards:ratings", "unit_b", expect(404, **READERS, head_b=200)),
    ("awards:ratings_template", "unit_a", expect(403, office=200, union=200, admin=200,
                                                 head_a=200, head_b=404)),
    ("awards:ratings_template", "unit_b", expect(404, director=403, office=200, union=200,
                                                 admin=200, head_b=200)),
    ("awards:ratings_import", "unit_a", expect(403, office=200, union=200, admin=200,
                                               head_a=200, head_b=404)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "unit", "expected"), MATRIX,
                         ids=[f"{m[0]}-{m[1]}" for m in MATRIX])
def test_role_gets_expected_status(cast, client_for, role, name, unit, expected):
    response = client_for(cast.users()[role]).get(_url(name, getattr(cast, unit)))
    assert response.status_code == expected[role]


@pytest.mark.parametrize(("role", "status"), [
    ("director", 403), ("staff", 403), ("head_b", 404), ("head_a", 302), ("office", 302),
    ("union", 302)])
def test_who_may_save(cast, client_for, team, role, status):
    client = client_for(cast.users()[role])
    digest = ratings.digest([])
    data = {"digest": digest, f"rating_{team[0].pk}": Rating.GOOD}
    response = client.post(_url("awards:ratings", cast.unit_a), data)
    assert response.status_code == status
    assert YearRating.objects.exists() == (status == 302)


def test_page_defaults_to_the_latest_year_with_data_and_own_unit(cast, client_for, team):
    response = client_for(cast.head_a).get(reverse("awards:ratings"))
    assert response.status_code == 200
    assert response.context["unit"] == cast.unit_a
    assert response.context["year"] == (latest_year_with_data() or timezone.localdate().year)
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'name="rating_' in html


def test_readers_only_see_the_ratings(cast, client_for, team):
    YearRating.objects.create(staff=team[0], year=YEAR, rating=Rating.GOOD)
    html = client_for(cast.director).get(_url("awards:ratings", cast.unit_a)).content.decode()
    assert 'name="rating_' not in html
    assert VI["good"] in html


# Saving -------------------------------------------------------------------------------------

def test_save_writes_every_rating_with_one_audit_line(cast, client_for, team):
    client = client_for(cast.head_a)
    YearRating.objects.create(staff=team[3], year=YEAR, rating=Rating.FAILED)
    values = {team[0]: Rating.EXCELLENT, team[1]: Rating.GOOD, team[2]: Rating.COMPLETED,
              team[3]: Rating.GOOD, **{p: Rating.GOOD for p in team[4:9]}}
    response = client.post(_url("awards:ratings", cast.unit_a),
                           _post_data(client, cast.unit_a, values))

    assert response.status_code == 302
    stored = dict(YearRating.objects.filter(year=YEAR).values_list("staff_id", "rating"))
    assert stored == {p.pk: r for p, r in values.items()}
    assert YearRating.objects.get(staff=team[3], year=YEAR).version == 2
    (audit,) = AuditEntry.objects.filter(action="rating.save")
    assert audit.object_id == str(cast.unit_a.pk)
    assert audit.before["ratings"][str(team[3].pk)] == Rating.FAILED
    assert audit.after["ratings"][str(team[3].pk)] == Rating.GOOD
    assert audit.before["ratings"][str(team[0].pk)] is None
    assert audit.after["ratings"][str(team[0].pk)] == Rating.EXCELLENT
    assert len(audit.after["ratings"]) == 9
    assert str(team[9].pk) not in audit.after["ratings"]  # left blank: not rated yet


def test_clearing_a_rating_deletes_it(cast, client_for, team):
    YearRating.objects.create(staff=team[0], year=YEAR, rating=Rating.GOOD)
    client = client_for(cast.office)
    response = client.post(_url("awards:ratings", cast.unit_a),
                           _post_data(client, cast.unit_a, {team[0]: ""}))
    assert response.status_code == 302
    assert not YearRating.objects.exists()
    audit = AuditEntry.objects.get(action="rating.save")
    assert audit.after["ratings"] == {str(team[0].pk): None}


def test_cap_refuses_three_excellent_of_ten_and_saves_nothing(cast, client_for, team):
    client = _english(client_for(cast.head_a))
    values = {p: Rating.GOOD for p in team}
    values.update({team[0]: Rating.EXCELLENT, team[1]: Rating.EXCELLENT,
                   team[2]: Rating.EXCELLENT})
    response = client.post(_url("awards:ratings", cast.unit_a),
                           _post_data(client, cast.unit_a, values))

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert all(figure in errors[0] for figure in ("3 people", "at most 2", "20 %", "10 people"))
    assert not YearRating.objects.exists()
    assert not AuditEntry.objects.filter(action="rating.save").exists()


def test_cap_allows_two_excellent_of_ten(cast, client_for, team):
    client = client_for(cast.head_a)
    values = {p: Rating.GOOD for p in team}
    values.update({team[0]: Rating.EXCELLENT, team[1]: Rating.EXCELLENT})
    response = client.post(_url("awards:ratings", cast.unit_a),
                           _post_data(client, cast.unit_a, values))
    assert response.status_code == 302
    assert YearRating.objects.filter(rating=Rating.EXCELLENT).count() == 2


def test_service_checks_the_cap_too(cast, team):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        ratings.save_ratings(unit=cast.unit_a, year=YEAR, user=cast.office,
                             ratings={team[0].pk: Rating.EXCELLENT})
    assert not YearRating.objects.exists()


def test_stale_page_is_refused(cast, client_for, team):
    client = client_for(cast.head_a)
    data = _post_data(client, cast.unit_a, {team[0]: Rating.GOOD})
    ratings.save_ratings(unit=cast.unit_a, year=YEAR, user=cast.office,
                         ratings={team[1].pk: Rating.COMPLETED})

    response = client.post(_url("awards:ratings", cast.unit_a), data, follow=True)

    assert not YearRating.objects.filter(staff=team[0]).exists()
    assert YearRating.objects.get().staff == team[1]
    assert len(list(response.context["messages"])) == 1


# Excel --------------------------------------------------------------------------------------

def _template(unit, year=YEAR):
    stream = BytesIO()
    imports.ratings_template(unit, year, stream)
    stream.seek(0)
    return load_workbook(stream)


def _filled(unit, rows):
    """The unit's template with the given (ID, rating) rows in place of the staff list."""
    workbook = _template(unit)
    sheet = workbook.worksheets[0]
    sheet.delete_rows(2, sheet.max_row)
    for staff_id, rating in rows:
        sheet.append([staff_id, "", "", rating])
    out = BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("xep-loai.xlsx", out.getvalue())


def test_template_lists_the_active_staff_with_a_rating_list(cast, team):
    with translation.override("vi"):
        workbook = _template(cast.unit_a)
        sheet = workbook.worksheets[0]
        rows = list(sheet.values)
        assert list(rows[0]) == [translation.gettext(h) for h in imports.HEADERS]
    assert {row[0] for row in rows[1:]} == {p.pk for p in team}
    assert all(row[3] is None for row in rows[1:])
    names = {row[0]: row[1] for row in rows[1:]}
    assert names[team[0].pk] == team[0].full_name
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert all(label in validation.formula1 for label in VI.values())
    assert "D2" in str(validation.sqref)


def test_template_download(cast, client_for, team):
    response = client_for(cast.head_a).get(_url("awards:ratings_template", cast.unit_a))
    assert response.status_code == 200
    assert "xep-loai-a-2022.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert len(list(workbook.worksheets[0].values)) == 11


def test_import_happy_path_previews_then_saves(cast, client_for, team):
    YearRating.objects.create(staff=team[1], year=YEAR, rating=Rating.FAILED)
    YearRating.objects.create(staff=team[2], year=YEAR, rating=Rating.COMPLETED)
    upload = _filled(cast.unit_a, [
        (team[0].pk, VI["good"]),
        (team[1].pk, VI["completed"].upper()),  # case does not matter
        (team[2].pk, "  " + VI["completed"]),
        (team[3].pk, None),  # no rating: skipped
    ])
    client = client_for(cast.head_a)
    url = _url("awards:ratings_import", cast.unit_a)

    response = client.post(url, {"file": upload})

    assert response.status_code == 200
    result = response.context["result"]
    assert [(r.number, r.status) for r in result.rows] == [
        (2, "new"), (3, "update"), (4, "unchanged")]
    assert YearRating.objects.count() == 2  # the preview wrote nothing
    token = response.context["confirm"]["token"].value()

    response = client.post(url, {"token": token})

    assert response.status_code == 302
    stored = dict(YearRating.objects.values_list("staff_id", "rating"))
    assert stored == {team[0].pk: Rating.GOOD, team[1].pk: Rating.COMPLETED,
                      team[2].pk: Rating.COMPLETED}
    audit = AuditEntry.objects.get(action="rating.import")
    assert set(audit.after["ratings"]) == {str(team[0].pk), str(team[1].pk)}
    # The token is spent: a second confirmation saves nothing more.
    response = client.post(url, {"token": token})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="rating.import").count() == 1


def test_import_reports_every_row_error_and_writes_nothing(cast, team):
    other = StaffMemberFactory(unit=cast.unit_b)
    upload = _filled(cast.unit_a, [
        (team[0].pk, VI["good"]),
        (999999, VI["good"]),  # unknown staff id
        (other.pk, VI["good"]),  # another unit's staff
        (team[1].pk, "hoan thanh tot nhiem vu"),  # no accents
        (team[0].pk, VI["completed"]),  # repeats row 2
        ("abc", VI["good"]),  # not an id
    ])
    with translation.override("en"):
        result = imports.parse(cast.unit_a, YEAR, upload)

    assert result.has_errors
    assert [r.number for r in result.rows if r.errors] == [3, 4, 5, 6, 7]
    messages = {r.number: r.errors[0] for r in result.rows if r.errors}
    assert "999999" in messages[3]
    assert cast.unit_b.name in messages[4]
    assert "not a rating" in messages[5] and VI["good"] in messages[5]
    assert "row 2" in messages[6]
    assert "abc" in messages[7]
    with pytest.raises(ValueError):
        result.to_plain()
    assert not YearRating.objects.exists()


def test_import_preview_with_errors_offers_no_confirmation(cast, client_for, team):
    client = client_for(cast.office)
    upload = _filled(cast.unit_a, [(team[0].pk, VI["good"]), (999999, VI["good"])])
    response = client.post(_url("awards:ratings_import", cast.unit_a), {"file": upload})
    assert response.status_code == 200
    assert response.context["confirm"] is None
    assert response.context["counts"]["error"] == 1
    assert not YearRating.objects.exists()


def test_import_refuses_a_file_over_the_cap(cast, client_for, team):
    rows = [(p.pk, VI["good"]) for p in team[3:]] + [(p.pk, VI["excellent"]) for p in team[:3]]
    client = _english(client_for(cast.head_a))
    response = client.post(_url("awards:ratings_import", cast.unit_a),
                           {"file": _filled(cast.unit_a, rows)})
    result = response.context["result"]
    assert result.cap_error and "at most 2" in result.cap_error
    assert response.context["confirm"] is None
    assert not YearRating.objects.exists()


def test_import_confirmation_checks_the_cap_again(cast, client_for, team):
    # 6 rated good or better: 1 excellent allowed.
    rows = [(p.pk, VI["good"]) for p in team[5:]] + [(team[0].pk, VI["excellent"])]
    client = client_for(cast.head_a)
    url = _url("awards:ratings_import", cast.unit_a)
    response = client.post(url, {"file": _filled(cast.unit_a, rows)})
    token = response.context["confirm"]["token"].value()
    # Meanwhile someone rates another person excellent: 2 of 7, the cap is now passed.
    YearRating.objects.create(staff=team[1], year=YEAR, rating=Rating.EXCELLENT)

    response = client.post(url, {"token": token})

    assert response.status_code == 200
    assert response.context["result"].cap_error
    assert YearRating.objects.count() == 1


def test_a_past_year_lists_the_people_the_unit_had_then_after_a_merge_and_a_transfer(
        cast, client_for):
    import datetime

    from awards.eligibility import Facts
    from awards.models import Award, Conferral
    from units import organisation

    teacher = StaffMember.objects.get(user=cast.staff)
    newcomer = StaffMemberFactory(unit=cast.unit_b, full_name="Lương Thị Mới")
    retired = StaffMemberFactory(unit=cast.unit_a, full_name="Tạ Văn Hưu")
    YearRating.objects.create(staff=teacher, year=YEAR, rating=Rating.EXCELLENT)
    Conferral.objects.create(award=Award.objects.get(code="lao-dong-tien-tien"), year=YEAR,
                             staff=teacher, unit=cast.unit_a, decision="122/QĐ-SGDĐT",
                             decided_on=datetime.date(2022, 12, 20))
    client = client_for(cast.office)
    a_2022 = f"{reverse('awards:ratings')}?year={YEAR}&unit={cast.unit_a.pk}"
    b_2022 = f"{reverse('awards:ratings')}?year={YEAR}&unit={cast.unit_b.pk}"
    history_url = reverse("awards:history") + f"?year={YEAR}"
    history = [(c.pk, c.staff_id, c.unit_id) for c in client.get(history_url).context["page"]]
    before = [(p.pk, p.full_name) for p in client.get(a_2022).context["form"].people]

    organisation.deactivate_staff(person=retired, user=cast.office, on=datetime.date(2025, 3, 1))
    organisation.transfer_staff(person=newcomer, to_unit=cast.unit_a, user=cast.office,
                                on=datetime.date(2025, 5, 1))
    organisation.merge_unit(unit=cast.unit_a, into=cast.unit_b, user=cast.office,
                            on=datetime.date(2025, 7, 1))
    a_page, b_page = client.get(a_2022), client.get(b_2022)

    a_people = [(p.pk, p.full_name) for p in a_page.context["form"].people]
    assert a_people == before
    assert {teacher.full_name, retired.full_name, cast.head_a.staff_member.full_name} <= {
        name for _pk, name in a_people}
    assert newcomer.full_name not in dict(a_people).values()  # in B in 2022
    assert a_page.context["stored"][teacher.pk].rating == Rating.EXCELLENT
    assert teacher.full_name not in b_page.content.decode()
    assert newcomer.full_name in b_page.content.decode()
    assert teacher.pk in {p.pk for p in ratings.unit_staff(cast.unit_b)}  # this year: in B
    facts = Facts.load(YEAR, unit_ids=[cast.unit_a.pk, cast.unit_b.pk])
    assert teacher in facts.members[cast.unit_a.pk] and newcomer in facts.members[cast.unit_b.pk]
    assert [(c.pk, c.staff_id, c.unit_id)
            for c in client.get(history_url).context["page"]] == history != []
