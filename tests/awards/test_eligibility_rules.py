"""The table of eligibility predicates (awards.eligibility.RULES): each predicate met and not
met, with the exact Vietnamese reason it gives, decided from facts alone (no database)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from awards.eligibility import RULES, Facts, _check
from awards.models import Award, Condition, Predicate, Rating, Subject
from scoring.models import Grade
from units.models import DisciplineLevel, InitiativeLevel, StaffMember, Unit

LDTT = Award(pk=1, code="lao-dong-tien-tien", name="Lao động tiên tiến")
UNIT = Unit(pk=10)
STAFF = StaffMember(pk=100, unit_id=10, recruitment_date=datetime.date(2022, 3, 15))
MEMBERS = [StaffMember(pk=101 + i, unit_id=10) for i in range(3)]


def facts(*, ratings=None, held=(), discipline=None, initiatives=None, members=None,
          grades=None) -> Facts:
    found = Facts(year=2022, ratings=ratings or {}, held=set(held), grades=grades or {})
    found.discipline.update(discipline or {})
    found.initiatives.update(initiatives or {})
    found.members.update(members or {})
    return found


def check(condition, found, *, staff=None, unit=None):
    with translation.override("vi"):
        result = _check(condition, found, staff=staff, unit=unit)
    return result.met, result.reason


def test_rating_not_met_when_a_year_is_unrated():
    condition = Condition(predicate=Predicate.RATING, rating=Rating.GOOD, years=2)
    assert check(condition, facts(ratings={(100, 2022): Rating.EXCELLENT}), staff=STAFF) == (
        False, "Xếp loại 2021: chưa xếp loại; 2022: Hoàn thành xuất sắc nhiệm vụ — cần từ "
               "Hoàn thành tốt nhiệm vụ trở lên.")


def test_rating_met_when_every_year_is_good_enough():
    condition = Condition(predicate=Predicate.RATING, rating=Rating.GOOD, years=1)
    assert check(condition, facts(ratings={(100, 2022): Rating.GOOD}), staff=STAFF) == (
        True, "Xếp loại 2022: Hoàn thành tốt nhiệm vụ — cần từ Hoàn thành tốt nhiệm vụ trở lên.")


def test_months_served_counts_whole_months_to_the_year_end():
    short = Condition(predicate=Predicate.MONTHS_SERVED, number=Decimal(10))
    assert check(short, facts(), staff=STAFF) == (
        False, "Tuyển dụng ngày 15/03/2022: 9 tháng tính đến 31/12/2022 — cần 10 tháng.")
    enough = Condition(predicate=Predicate.MONTHS_SERVED, number=Decimal(9))
    assert check(enough, facts(), staff=STAFF)[0] is True


def test_months_served_without_a_recruitment_date():
    condition = Condition(predicate=Predicate.MONTHS_SERVED, number=Decimal(6))
    assert check(condition, facts(), staff=StaffMember(pk=100, unit_id=10)) == (
        False, "Chưa có ngày tuyển dụng.")


def test_no_discipline_met_and_barred():
    condition = Condition(predicate=Predicate.NO_DISCIPLINE,
                          discipline_level=DisciplineLevel.WARNING)
    assert check(condition, facts(discipline={100: [DisciplineLevel.REPRIMAND]}),
                 staff=STAFF) == (True, "Không bị kỷ luật từ cảnh cáo trở lên.")
    barred = facts(discipline={100: [DisciplineLevel.DEMOTION, DisciplineLevel.WARNING]})
    assert check(condition, barred, staff=STAFF) == (
        False, "Bị kỷ luật: Hạ bậc lương, giáng chức, Cảnh cáo.")


def test_initiatives_counts_level_and_years():
    condition = Condition(predicate=Predicate.INITIATIVES, years=3, number=Decimal(2),
                          initiative_level=InitiativeLevel.GRASSROOTS)
    found = facts(initiatives={100: [(InitiativeLevel.PROVINCE, 2021),
                                     (InitiativeLevel.GRASSROOTS, 2019)]})
    assert check(condition, found, staff=STAFF) == (
        False, "1 sáng kiến được công nhận từ Cấp cơ sở trở lên trong 2020–2022 — cần 2.")
    provincial = Condition(predicate=Predicate.INITIATIVES, years=1,
                           initiative_level=InitiativeLevel.PROVINCE)
    assert check(provincial, facts(initiatives={100: [(InitiativeLevel.PROVINCE, 2022)]}),
                 staff=STAFF) == (
        True, "1 sáng kiến được công nhận từ Cấp tỉnh trở lên trong 2022 — cần 1.")


def test_holds_names_the_missing_years_for_a_person():
    condition = Condition(predicate=Predicate.HOLDS, other_award=LDTT, years=3)
    found = facts(held={(1, 100, 10, 2022), (1, 100, 10, 2020)})
    assert check(condition, found, staff=STAFF) == (
        False, "Lao động tiên tiến trong 2020–2022: không đạt năm 2021.")


def test_holds_every_year_for_a_unit():
    condition = Condition(predicate=Predicate.HOLDS, other_award=LDTT, years=2)
    found = facts(held={(1, None, 10, 2022), (1, None, 10, 2021)})
    assert check(condition, found, unit=UNIT) == (
        True, "Lao động tiên tiến trong 2021–2022: đạt tất cả các năm.")


def test_no_member_discipline_counts_members_at_the_level():
    condition = Condition(predicate=Predicate.NO_MEMBER_DISCIPLINE,
                          discipline_level=DisciplineLevel.WARNING)
    found = facts(members={10: MEMBERS}, discipline={101: [DisciplineLevel.WARNING],
                                                     102: [DisciplineLevel.REPRIMAND]})
    assert check(condition, found, unit=UNIT) == (
        False, "1 cá nhân bị kỷ luật từ cảnh cáo trở lên.")
    assert check(condition, facts(members={10: MEMBERS}), unit=UNIT) == (
        True, "Không bị kỷ luật từ cảnh cáo trở lên.")


@pytest.mark.parametrize(("grade", "met", "found"), [
    (Grade.EXCELLENT, True, "Xuất sắc"), (Grade.GOOD, True, "Tốt"),
    (Grade.PASS, False, "Hoàn thành"), (None, False, "chưa có kết quả chốt điểm")])
def test_campaign_class_at_least_the_grade(grade, met, found):
    condition = Condition(predicate=Predicate.CAMPAIGN_CLASS, grade=Grade.GOOD)
    assert check(condition, facts(grades={10: grade} if grade else {}), unit=UNIT) == (
        met, f"Xếp loại phong trào thi đua: {found} — cần từ Tốt trở lên.")


def test_one_member_holding_met_by_one_member():
    condition = Condition(predicate=Predicate.ONE_MEMBER_HOLDING, other_award=LDTT)
    assert check(condition, facts(members={10: MEMBERS}, held={(1, 102, 10, 2022)}),
                 unit=UNIT) == (True, "1 cá nhân đạt Lao động tiên tiến.")
    assert check(condition, facts(members={10: MEMBERS}), unit=UNIT) == (
        False, "0 cá nhân đạt Lao động tiên tiến.")


def test_members_holding_strictly_above_the_share():
    condition = Condition(predicate=Predicate.MEMBERS_HOLDING, other_award=LDTT,
                          number=Decimal(50), strict=True)
    two = facts(members={10: MEMBERS}, held={(1, 101, 10, 2022), (1, 102, 10, 2022)})
    assert check(condition, two, unit=UNIT) == (
        True, "2/3 cá nhân Lao động tiên tiến (66,7%) — cần trên 50%.")
    assert check(condition, facts(), unit=UNIT) == (
        False, "0/0 cá nhân Lao động tiên tiến (0%) — cần trên 50%.")


def test_members_rated_at_least_the_share():
    condition = Condition(predicate=Predicate.MEMBERS_RATED, rating=Rating.GOOD,
                          number=Decimal(70))
    found = facts(members={10: MEMBERS},
                  ratings={(101, 2022): Rating.GOOD, (102, 2022): Rating.COMPLETED})
    assert check(condition, found, unit=UNIT) == (
        False, "1/3 cá nhân xếp loại từ Hoàn thành tốt nhiệm vụ trở lên (33,3%) — cần ít nhất "
               "70%.")


def test_unknown_predicate_refused():
    with pytest.raises(ValueError, match="unknown predicate"):
        _check(Condition(predicate="height"), facts(), staff=STAFF, unit=None)


def test_rules_cover_every_predicate_once_in_order():
    assert list(RULES) == list(Predicate.values)
    assert all(rule.predicate == key for key, rule in RULES.items())


def test_rules_apply_to_individual_or_collective_titles():
    for rule in RULES.values():
        assert rule.applies_to and set(rule.applies_to) <= set(Subject.values)
    assert Subject.COLLECTIVE in RULES[Predicate.HOLDS].applies_to
    assert RULES[Predicate.CAMPAIGN_CLASS].applies_to == (Subject.COLLECTIVE,)


def test_rules_reasons_are_all_translated():
    for rule in RULES.values():
        assert "" in rule.reasons, rule.predicate
        for text in rule.reasons.values():
            with translation.override("en"):
                english = str(text)
            with translation.override("vi"):
                vietnamese = str(text)
            assert vietnamese != english, english
