"""The bonus figures as the law gives them: base salaries by date and each award's coefficient
per legal period. Confirmed only where the project's domain notes give the figure and its decree
(Decree 98/2023 Art. 54; 2,340,000 đồng from 01/07/2024); the others carry their best source and
`confirmed` unticked, to be checked against the documents in the administration pages."""

import datetime
from decimal import Decimal

from django.db import migrations

SALARIES = [
    # (amount, from, until, source, confirmed)
    (1_490_000, datetime.date(2019, 7, 1), datetime.date(2023, 6, 30),
     "Nghị định 38/2019/NĐ-CP, Điều 3 (chưa đối chiếu văn bản)", False),
    (1_800_000, datetime.date(2023, 7, 1), datetime.date(2024, 6, 30),
     "Nghị định 24/2023/NĐ-CP, Điều 3 (chưa đối chiếu văn bản)", False),
    (2_340_000, datetime.date(2024, 7, 1), None,
     "Nghị định 73/2024/NĐ-CP, Điều 3: 2.340.000 đồng/tháng từ 01/07/2024", True),
]

D98 = "Nghị định 98/2023/NĐ-CP, Điều 54"
D98_FORMS = "Nghị định 98/2023/NĐ-CP, Điều 55 (chưa đối chiếu văn bản)"
D91 = "Nghị định 91/2017/NĐ-CP, Điều 70 (chưa đối chiếu văn bản)"
D91_FORMS = "Nghị định 91/2017/NĐ-CP, Điều 71–72 (chưa đối chiếu văn bản)"
D152 = ("Nghị định 152/2025/NĐ-CP (chưa đối chiếu: giả định giữ mức của Nghị định "
        "98/2023/NĐ-CP, Điều 54–55)")

# award code -> (coefficient, is a title of Art. 54 whose figure the notes confirm)
TITLES = {
    "chien-si-thi-dua-toan-quoc": "4.5",
    "chien-si-thi-dua-cap-tinh": "3.0",
    "chien-si-thi-dua-co-so": "1.0",
    "lao-dong-tien-tien": "0.3",
    "tap-the-lao-dong-xuat-sac": "1.5",
    "tap-the-lao-dong-tien-tien": "0.8",
    "co-thi-dua-ubnd-tinh": "8.0",
}
# Forms of commendation: Bằng khen and Giấy khen (a collective's is twice a person's).
FORMS = {
    "bang-khen-chu-tich-ubnd-tinh": "1.0",
    "bang-khen-chu-tich-ubnd-tinh-tap-the": "2.0",
    "bang-khen-bo-truong-gddt": "1.0",
    "bang-khen-thu-tuong": "5.0",
    "giay-khen-giam-doc-so": "0.3",
    "giay-khen-tap-the": "0.6",
    "giay-khen-chuyen-de": "0.3",
    "giay-khen-chuyen-de-tap-the": "0.6",
    "giay-khen-dot-xuat": "0.3",
}
# Kỷ niệm chương "Vì sự nghiệp giáo dục" carries no coefficient: no money, shown as such.


def add(apps, schema_editor):
    BaseSalary = apps.get_model("awards", "BaseSalary")
    AwardCoefficient = apps.get_model("awards", "AwardCoefficient")
    Award = apps.get_model("awards", "Award")
    LegalPeriod = apps.get_model("awards", "LegalPeriod")
    for amount, start, until, source, confirmed in SALARIES:
        BaseSalary.objects.get_or_create(valid_from=start, defaults={
            "amount": amount, "valid_until": until, "source": source, "confirmed": confirmed})
    awards = {award.code: award for award in Award.objects.all()}
    periods = {2018: (D91, D91_FORMS, False), 2024: (D98, D98_FORMS, True),
               2025: (D152, D152, False)}
    for first_year, (title_source, form_source, titles_confirmed) in periods.items():
        period = LegalPeriod.objects.filter(first_year=first_year).first()
        if period is None:
            continue
        for figures, source, confirmed in ((TITLES, title_source, titles_confirmed),
                                           (FORMS, form_source, False)):
            for code, coefficient in figures.items():
                if code in awards:
                    AwardCoefficient.objects.get_or_create(
                        period=period, award=awards[code],
                        defaults={"coefficient": Decimal(coefficient), "source": source,
                                  "confirmed": confirmed})


def remove(apps, schema_editor):
    apps.get_model("awards", "AwardCoefficient").objects.all().delete()
    apps.get_model("awards", "BaseSalary").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0017_bonus_money")]
    operations = [migrations.RunPython(add, remove)]
