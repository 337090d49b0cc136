"""The education catalogue as data (awards/migrations/0009_education_catalogue_2025.py): each new
award decided in each legal period, the seniority medal's years with the figure for women, the
2025 period's boundary on 01/07/2025, a condition refused without its source, and the page that
lists it all."""

import datetime
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms import modelform_factory
from django.urls import reverse
from django.utils import translation

from awards.eligibility import Facts, conditions_for, review_unit, verdict, verdict_on
from awards.forms import ConditionForm
from awards.forms_clusters import ClusterProposalForm
from awards.models import Award, Condition, Cycle, LegalPeriod, Predicate, Rating
from units.models import DisciplineLevel, Gender, InitiativeLevel

from ..factories import StaffMemberFactory

# The year whose year-end review each period judges, by the period's first year.
YEAR_OF = {2018: 2022, 2024: 2024, 2025: 2026}
PERIODS = list(YEAR_OF)


def award(code):
    return Award.objects.get(code=code)


def judge(code, first_year, facts_for, *, staff=None, unit=None):
    """The verdict on `code` under the period starting in `first_year`, with facts made by
    `facts_for(year, awards by code)` (in memory: the predicates never read the database)."""
    period = LegalPeriod.objects.get(first_year=first_year)
    year = YEAR_OF[first_year]
    codes = {a.code: a.pk for a in Award.objects.all()}
    facts = facts_for(year, codes)
    target = award(code)
    with translation.override("vi"):
        return verdict(target, conditions_for(period, [target]), facts, staff=staff, unit=unit)


def facts(year, *, held=(), ratings=None, initiatives=None, discipline=None, grades=None,
          members=None, as_of=None):
    found = Facts(year=year, as_of=as_of, held=set(held), ratings=ratings or {},
                  grades=grades or {})
    found.initiatives.update(initiatives or {})
    found.discipline.update(discipline or {})
    found.members.update(members or {})
    return found


@pytest.fixture
def person(cast):
    return StaffMemberFactory(unit=cast.unit_a, gender=Gender.MALE)


# --- the catalogue as loaded -------------------------------------------------------------------


@pytest.mark.django_db
def test_catalogue_has_the_education_awards_with_their_cycles():
    cycles = dict(Award.objects.values_list("code", "cycle"))
    assert cycles["co-thi-dua-ubnd-tinh"] == Cycle.ANNUAL
    assert cycles["ky-niem-chuong-vi-su-nghiep-giao-duc"] == Cycle.SENIORITY
    assert cycles["giay-khen-chuyen-de"] == cycles["giay-khen-chuyen-de-tap-the"] == Cycle.TOPIC
    assert cycles["giay-khen-dot-xuat"] == Cycle.EXTRAORDINARY
    assert award("bang-khen-thu-tuong").proposal_only
    assert award("co-thi-dua-ubnd-tinh").subject == "collective"
    # Every award names its source; every new one is marked to be checked.
    assert not Award.objects.filter(source="").exists()
    assert not Award.objects.filter(order__gt=8, confirmed=True).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("first_year", PERIODS)
def test_catalogue_every_award_has_sourced_conditions_in_each_period(first_year):
    period = LegalPeriod.objects.get(first_year=first_year)
    with_conditions = set(period.conditions.values_list("award__code", flat=True))
    assert with_conditions == set(Award.objects.values_list("code", flat=True))
    assert not period.conditions.filter(source="").exists()
    # No new award's own condition claims to be confirmed (registration, a basis of every
    # title that the 2003 Law names itself, is the registration migration's).
    assert not period.conditions.filter(award__order__gt=8, confirmed=True).exclude(
        predicate=Predicate.REGISTERED).exists()


@pytest.mark.django_db
def test_2025_period_copies_2024_conditions_and_marks_decree_based_ones_unconfirmed():
    old = LegalPeriod.objects.get(first_year=2024)
    new = LegalPeriod.objects.get(first_year=2025)
    assert "152/2025/NĐ-CP" in new.name and "98/2023/NĐ-CP" in old.name
    copied = new.conditions.filter(award__code="lao-dong-tien-tien")
    assert sorted(copied.values_list("predicate", flat=True)) == sorted(
        old.conditions.filter(award__code="lao-dong-tien-tien").values_list("predicate",
                                                                            flat=True))
    months = copied.get(predicate=Predicate.MONTHS_SERVED)
    assert months.number == 6 and not months.confirmed
    assert "152/2025/NĐ-CP" in months.source
    assert new.quotas.count() == old.quotas.count() == 1
    assert new.excellent_cap == old.excellent_cap


# --- the 2025 boundary ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_period_for_a_decision_in_june_2025_is_decree_98_and_in_july_decree_152():
    june = LegalPeriod.objects.for_date(datetime.date(2025, 6, 30))
    july = LegalPeriod.objects.for_date(datetime.date(2025, 7, 1))
    assert june.first_year == 2024 and "98/2023" in june.name
    assert july.first_year == 2025 and "152/2025" in july.name
    # A year's review is judged after 31 December, by the law then: 2024 by Decree 98,
    # 2025 by Decree 152.
    assert LegalPeriod.objects.for_year(2024) == june
    assert LegalPeriod.objects.for_year(2025) == july
    assert LegalPeriod.objects.for_date(datetime.date(2023, 12, 31)).first_year == 2018


@pytest.mark.django_db
def test_verdict_on_reads_the_conditions_of_the_period_of_the_decision_date(cast):
    woman = StaffMemberFactory(unit=cast.unit_a, gender=Gender.FEMALE,
                               sector_start_date=datetime.date(2010, 6, 1))
    medal = award("ky-niem-chuong-vi-su-nghiep-giao-duc")
    june = verdict_on(medal, datetime.date(2025, 6, 30), staff=woman)
    july = verdict_on(medal, datetime.date(2025, 7, 1), staff=woman)
    assert {c.condition.period.first_year for c in june.checks} == {2024}
    assert {c.condition.period.first_year for c in july.checks} == {2025}
    assert june.eligible and july.eligible  # 15 full years on 01/06/2025, both sides


# --- the seniority medal ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("first_year", PERIODS)
@pytest.mark.parametrize(("gender", "years", "met"), [
    (Gender.FEMALE, 15, True), (Gender.FEMALE, 14, False), (Gender.MALE, 15, False),
    (Gender.MALE, 20, True), ("", 15, False)])
def test_seniority_medal_needs_20_years_and_15_for_women(person, first_year, gender, years,
                                                        met):
    year = YEAR_OF[first_year]
    person.gender = gender
    person.sector_start_date = datetime.date(year - years, 12, 31)
    result = judge("ky-niem-chuong-vi-su-nghiep-giao-duc", first_year,
                   lambda y, codes: facts(y), staff=person)
    assert result.eligible is met
    reason = next(c.reason for c in result.checks
                  if c.condition.predicate == Predicate.SECTOR_YEARS)
    needed = 15 if gender == Gender.FEMALE else 20
    assert f"đủ {years} năm tính đến 31/12/{year} — cần {needed} năm" in reason
    assert ("(mức dành cho nữ)" in reason) is (gender == Gender.FEMALE)


@pytest.mark.django_db
def test_seniority_medal_counts_years_up_to_the_decision_date(cast):
    # Served from 05/09/2011 through 04/09/2026 is 15 full years (as served through 31/12
    # counts the whole year for the months of Lao động tiên tiến).
    woman = StaffMemberFactory(unit=cast.unit_a, gender=Gender.FEMALE,
                               sector_start_date=datetime.date(2011, 9, 5))
    medal = award("ky-niem-chuong-vi-su-nghiep-giao-duc")
    with translation.override("vi"):
        before = verdict_on(medal, datetime.date(2026, 9, 3), staff=woman)
        on_the_day = verdict_on(medal, datetime.date(2026, 9, 4), staff=woman)
    assert not before.eligible and on_the_day.eligible
    assert before.checks[0].reason == ("Vào ngành ngày 05/09/2011: đủ 14 năm tính đến "
                                       "03/09/2026 — cần 15 năm (mức dành cho nữ).")


@pytest.mark.django_db
def test_seniority_medal_without_a_start_of_service_is_not_met(person):
    result = judge("ky-niem-chuong-vi-su-nghiep-giao-duc", 2025, lambda y, codes: facts(y),
                   staff=person)
    assert not result.eligible
    assert "Chưa có ngày vào ngành." in [c.reason for c in result.checks]


@pytest.mark.django_db
@pytest.mark.parametrize("first_year", PERIODS)
def test_seniority_medal_refused_to_a_person_disciplined_this_year(person, first_year):
    person.gender, person.sector_start_date = Gender.MALE, datetime.date(1990, 9, 1)
    result = judge("ky-niem-chuong-vi-su-nghiep-giao-duc", first_year, lambda y, codes: facts(
        y, discipline={person.pk: [DisciplineLevel.REPRIMAND]}), staff=person)
    assert not result.eligible


# --- the annual awards of the catalogue, each period ------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("first_year", PERIODS)
def test_province_flag_needs_excellent_class_and_collective_excellent_title(cast, first_year):
    unit = cast.unit_a

    def world(grade):
        return lambda y, codes: facts(y, grades={unit.pk: grade}, members={unit.pk: []},
                                      held={(codes["tap-the-lao-dong-xuat-sac"], None, unit.pk,
                                             y)})

    assert judge("co-thi-dua-ubnd-tinh", first_year, world("excellent"), unit=unit).eligible
    assert not judge("co-thi-dua-ubnd-tinh", first_year, world("good"), unit=unit).eligible
    without_title = judge("co-thi-dua-ubnd-tinh", first_year, lambda y, codes: facts(
        y, grades={unit.pk: "excellent"}, members={unit.pk: []}), unit=unit)
    assert not without_title.eligible


BK_UNIT = "bang-khen-chu-tich-ubnd-tinh-tap-the"


@pytest.mark.django_db
def test_collective_provincial_certificate_marked_as_the_individual_one_and_offered():
    unit_award, person_award = award(BK_UNIT), award("bang-khen-chu-tich-ubnd-tinh")
    assert unit_award.subject == "collective" and person_award.subject == "individual"
    for field in ("kind", "level", "authority", "cycle", "proposal_only"):
        assert getattr(unit_award, field) == getattr(person_award, field), field
    assert not unit_award.confirmed and "Điều 74" in unit_award.source
    # The cluster meeting's form offers it (it offered nothing before).
    offered = ClusterProposalForm.base_fields["commendation"].queryset
    assert list(offered.values_list("code", flat=True)) == [BK_UNIT]


@pytest.mark.django_db
@pytest.mark.parametrize("first_year", PERIODS)
def test_collective_provincial_certificate_two_excellent_years_or_an_excellent_class(
        cast, person, first_year):
    unit = cast.unit_a

    def world(*, excellent_years=0, grade="good", disciplined=False):
        def make(y, codes):
            return facts(y, grades={unit.pk: grade}, members={unit.pk: [person]},
                         held={(codes["tap-the-lao-dong-xuat-sac"], None, unit.pk, y - n)
                               for n in range(excellent_years)},
                         discipline={person.pk: [DisciplineLevel.WARNING]} if disciplined
                         else {})
        return make

    def judged(**kwargs):
        return judge(BK_UNIT, first_year, world(**kwargs), unit=unit)

    # Two consecutive years as Tập thể lao động xuất sắc ("hoàn thành xuất sắc nhiệm vụ").
    assert judged(excellent_years=2).eligible
    once = judged(excellent_years=1)
    assert not once.eligible
    assert [c.condition.predicate for c in once.checks if not c.met] == [Predicate.HOLDS]
    # Or an excellent class in the year's emulation movement.
    assert judged(grade="excellent").eligible
    # Either way, not with a member disciplined at warning or above.
    for kwargs in ({"excellent_years": 2}, {"grade": "excellent"}):
        refused = judged(disciplined=True, **kwargs)
        assert not refused.eligible
        assert [c.condition.predicate for c in refused.checks if not c.met] == [
            Predicate.NO_MEMBER_DISCIPLINE]


@pytest.mark.django_db
@pytest.mark.parametrize("first_year", PERIODS)
def test_national_emulation_fighter_needs_two_provincial_titles(person, first_year):
    def world(times):
        def make(y, codes):
            held = {(codes["chien-si-thi-dua-cap-tinh"], person.pk, person.unit_id, y - 3 * n)
                    for n in range(times)}
            return facts(y, held=held, initiatives={
                person.pk: [(InitiativeLevel.PROVINCE, y - 1)]})
        return make

    assert judge("chien-si-thi-dua-toan-quoc", first_year, world(2), staff=person).eligible
    once = judge("chien-si-thi-dua-toan-quoc", first_year, world(1), staff=person)
    assert not once.eligible
    year = YEAR_OF[first_year]
    with translation.override("vi"):
        assert (f"Chiến sĩ thi đua cấp tỉnh trong {year - 5}–{year}: 1 lần ({year}) — cần 2 "
                "lần.") in [c.reason for c in once.checks]


@pytest.mark.django_db
@pytest.mark.parametrize("first_year", PERIODS)
def test_minister_certificate_two_fighter_years_or_two_excellent_years(person, first_year):
    def fighter(years):
        return lambda y, codes: facts(y, held={(codes["chien-si-thi-dua-co-so"], person.pk,
                                                person.unit_id, y - n) for n in range(years)})

    def excellent(y, codes):
        return facts(y, ratings={(person.pk, y - n): Rating.EXCELLENT for n in range(2)},
                     initiatives={person.pk: [(InitiativeLevel.GRASSROOTS, y),
                                              (InitiativeLevel.GRASSROOTS, y - 1)]})

    assert judge("bang-khen-bo-truong-gddt", first_year, fighter(2), staff=person).eligible
    assert not judge("bang-khen-bo-truong-gddt", first_year, fighter(1), staff=person).eligible
    assert judge("bang-khen-bo-truong-gddt", first_year, excellent, staff=person).eligible


@pytest.mark.django_db
@pytest.mark.parametrize("first_year", PERIODS)
@pytest.mark.parametrize("certificate", ["bang-khen-chu-tich-ubnd-tinh",
                                         "bang-khen-bo-truong-gddt"])
def test_prime_minister_certificate_after_a_certificate_and_five_excellent_years(
        person, first_year, certificate):
    def world(excellent_years):
        def make(y, codes):
            return facts(y, held={(codes[certificate], person.pk, person.unit_id, y - 6)},
                         ratings={(person.pk, y - n): Rating.EXCELLENT
                                  for n in range(excellent_years)},
                         initiatives={person.pk: [(InitiativeLevel.GRASSROOTS, y - n)
                                                  for n in range(5)]})
        return make

    assert judge("bang-khen-thu-tuong", first_year, world(5), staff=person).eligible
    assert not judge("bang-khen-thu-tuong", first_year, world(4), staff=person).eligible


@pytest.mark.django_db
@pytest.mark.parametrize("first_year", PERIODS)
@pytest.mark.parametrize("code", ["giay-khen-chuyen-de", "giay-khen-dot-xuat"])
def test_topic_and_extraordinary_certificates_refused_when_disciplined(person, first_year,
                                                                       code):
    assert judge(code, first_year, lambda y, codes: facts(y), staff=person).eligible
    disciplined = judge(code, first_year, lambda y, codes: facts(
        y, discipline={person.pk: [DisciplineLevel.REPRIMAND]}), staff=person)
    assert not disciplined.eligible


@pytest.mark.django_db
@pytest.mark.parametrize("first_year", PERIODS)
def test_topic_certificate_for_a_unit_reads_the_campaign_class(cast, first_year):
    unit = cast.unit_a
    for grade, met in (("good", True), ("pass", False)):
        result = judge("giay-khen-chuyen-de-tap-the", first_year,
                       lambda y, codes, g=grade: facts(y, grades={unit.pk: g}), unit=unit)
        assert result.eligible is met


@pytest.mark.django_db
def test_year_end_review_leaves_out_topic_extraordinary_and_seniority_awards(cast):
    StaffMemberFactory(unit=cast.unit_a)
    review = review_unit(cast.unit_a, 2026)
    codes = {a.code for a in review.individual} | {v.award.code for v in review.collective}
    assert {"lao-dong-tien-tien", "co-thi-dua-ubnd-tinh", "bang-khen-thu-tuong"} <= codes
    assert not codes & {"giay-khen-chuyen-de", "giay-khen-chuyen-de-tap-the",
                        "giay-khen-dot-xuat", "ky-niem-chuong-vi-su-nghiep-giao-duc"}
    topic = review_unit(cast.unit_a, 2026, cycle=Cycle.TOPIC)
    assert [a.code for a in topic.individual] == ["giay-khen-chuyen-de"]


# --- a condition without a source ------------------------------------------------------------


def _condition_data(**changes):
    period = LegalPeriod.objects.get(first_year=2025)
    data = {"period": period.pk, "award": award("giay-khen-dot-xuat").pk, "alternative": 1,
            "predicate": Predicate.NO_DISCIPLINE, "years": 1, "discipline_level": "reprimand",
            "source": "", "confirmed": "on"}
    data.update(changes)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("source", ["", "   "])
def test_condition_without_a_source_is_refused_with_a_vietnamese_message(source):
    form_class = modelform_factory(Condition, form=ConditionForm)  # as the admin builds it
    before = Condition.objects.count()
    with translation.override("vi"):
        form = form_class(data=_condition_data(source=source))
        assert not form.is_valid()
        assert form.errors["source"] == [
            "Hãy ghi căn cứ của điều kiện này: điều khoản và văn bản quy định (ví dụ “Luật "
            "06/2022/QH15, Điều 24”). Điều kiện chưa tra cứu được văn bản thì ghi căn cứ gần "
            "nhất đang có và bỏ chọn “đã xác nhận”."]
    assert Condition.objects.count() == before


@pytest.mark.django_db
def test_condition_without_a_source_is_refused_by_the_model_and_the_database():
    condition = Condition(period=LegalPeriod.objects.get(first_year=2025),
                          award=award("giay-khen-dot-xuat"), predicate=Predicate.NO_DISCIPLINE,
                          discipline_level="reprimand", source="")
    with pytest.raises(ValidationError) as refused:
        condition.full_clean()
    assert set(refused.value.message_dict) == {"source"}
    before = Condition.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        condition.save()
    assert Condition.objects.count() == before


@pytest.mark.django_db
def test_condition_with_a_source_is_accepted_by_the_admin_form():
    form_class = modelform_factory(Condition, form=ConditionForm)
    form = form_class(data=_condition_data(source="  Quy chế của Sở, Điều 5  "))
    assert form.is_valid(), form.errors
    assert form.save().source == "Quy chế của Sở, Điều 5"


# --- the catalogue page ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "head_a", "office", "director", "admin"])
def test_catalogue_page_lists_every_award_and_condition_for_everyone(cast, client_for, role):
    page = client_for(cast.users()[role]).get(reverse("awards:catalogue"))
    assert page.status_code == 200
    text = unescape(page.content.decode())
    assert "Danh mục danh hiệu, hình thức khen thưởng" in text
    for name in Award.objects.values_list("name", flat=True):
        assert name in text
    assert "Đủ 20 năm công tác trong ngành giáo dục (nữ đủ 15 năm)" in text
    assert "Xếp loại từ “Hoàn thành xuất sắc nhiệm vụ” trở lên, 5 năm liên tục" in text
    # The default is the period in force today.
    assert page.context["period"] == LegalPeriod.objects.for_date(datetime.date.today())


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "shown"), [("admin", True), ("office", False),
                                             ("staff", False)])
def test_catalogue_page_shows_sources_and_flags_to_administrators_only(cast, client_for, role,
                                                                       shown):
    # The drafting notes of the law (each source, "to be checked") stay the administrators'
    # (tests/security/test_legal_notes.py), here as on every page that applies the law.
    text = unescape(client_for(cast.users()[role]).get(reverse("awards:catalogue")).content
                    .decode())
    source = LegalPeriod.objects.for_date(datetime.date.today()).conditions.filter(
        award__code="ky-niem-chuong-vi-su-nghiep-giao-duc").first().source
    assert (source in text) is shown
    assert ("cần đối chiếu" in text) is shown


@pytest.mark.django_db
def test_catalogue_page_shows_the_chosen_period_and_ignores_an_unknown_one(cast, client_for):
    client = client_for(cast.staff)
    old = LegalPeriod.objects.get(first_year=2018)
    chosen = client.get(reverse("awards:catalogue"), {"period": old.pk})
    assert chosen.context["period"] == old
    assert "Thông tư số 12/2019/TT-BNV" in chosen.content.decode()
    unknown = client.get(reverse("awards:catalogue"), {"period": "9999"})
    assert unknown.status_code == 200
    assert unknown.context["period"] == LegalPeriod.objects.for_date(datetime.date.today())


@pytest.mark.django_db
def test_catalogue_page_needs_signing_in(client):
    response = client.get(reverse("awards:catalogue"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- edits in the administration pages -------------------------------------------------------


@pytest.fixture
def superuser(client_for):
    from ..factories import UserFactory

    return client_for(UserFactory(username="superuser", is_staff=True, is_superuser=True))


@pytest.mark.django_db
def test_admin_add_without_a_source_stores_nothing_and_says_what_to_write(superuser):
    from units.models import AuditEntry

    condition = Condition.objects.filter(predicate=Predicate.MONTHS_SERVED).first()
    before = Condition.objects.count()
    superuser.cookies["django_language"] = "vi"
    page = superuser.post(reverse("admin:awards_condition_add"), {
        "period": str(condition.period_id), "award": str(condition.award_id),
        "alternative": "2", "predicate": "no_discipline", "years": "1",
        "discipline_level": "reprimand", "source": "  "})
    assert page.status_code == 200
    assert "Hãy ghi căn cứ của điều kiện này" in unescape(page.content.decode())
    assert Condition.objects.count() == before
    assert not AuditEntry.objects.filter(action__startswith="catalogue.").exists()


@pytest.mark.django_db
def test_admin_edit_of_a_condition_is_audited_with_before_and_after(superuser):
    from units.models import AuditEntry

    from ..security.formdata import form_data

    condition = Condition.objects.filter(predicate=Predicate.MONTHS_SERVED,
                                         period__first_year=2025).first()
    url = reverse("admin:awards_condition_change", args=[condition.pk])
    data = form_data(superuser.get(url).content.decode(), url)
    data.update({"number": ["8"], "source": ["Quy chế của Sở, Điều 5"]})
    assert superuser.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="catalogue.edit")
    assert entry.before == {"number": "6", "source": condition.source}
    assert entry.after == {"number": "8", "source": "Quy chế của Sở, Điều 5"}
