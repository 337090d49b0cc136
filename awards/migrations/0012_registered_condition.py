"""The "registered" condition (Predicate.REGISTERED) on every emulation title, in each legal
period, as data with its source: people and units that did not register for a year's title are
not considered (awards.eligibility: met when no registration was opened for the year)."""

from django.db import migrations

SOURCES = {
    # first year of the period → (source, confirmed)
    2018: ("Luật Thi đua, Khen thưởng 2003, Điều 10 khoản 1 điểm b: căn cứ xét tặng danh hiệu "
           "thi đua là đăng ký tham gia thi đua", True),
    2024: ("Luật Thi đua, khen thưởng 06/2022/QH15: đăng ký thi đua là căn cứ xét tặng danh "
           "hiệu thi đua (điều khoản cần đối chiếu)", False),
    # Decree 152/2025 (from 01/07/2025) details the same Law, which keeps registration a basis.
    2025: ("Luật Thi đua, khen thưởng 06/2022/QH15: đăng ký thi đua là căn cứ xét tặng danh "
           "hiệu thi đua (điều khoản cần đối chiếu); Nghị định 152/2025/NĐ-CP", False),
}


def add(apps, schema_editor):
    Award = apps.get_model("awards", "Award")
    Condition = apps.get_model("awards", "Condition")
    LegalPeriod = apps.get_model("awards", "LegalPeriod")
    titles = list(Award.objects.filter(kind="title"))
    for period in LegalPeriod.objects.filter(first_year__in=SOURCES):
        source, confirmed = SOURCES[period.first_year]
        for award in titles:
            alternatives = set(Condition.objects.filter(period=period, award=award)
                               .values_list("alternative", flat=True)) or {1}
            for alternative in sorted(alternatives):
                Condition.objects.get_or_create(
                    period=period, award=award, alternative=alternative, predicate="registered",
                    defaults={"source": source, "confirmed": confirmed})


def remove(apps, schema_editor):
    apps.get_model("awards", "Condition").objects.filter(predicate="registered").delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0011_registration")]
    operations = [migrations.RunPython(add, remove)]
