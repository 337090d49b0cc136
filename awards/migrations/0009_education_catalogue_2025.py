"""The education sector's catalogue beyond the 8 annual awards, and the law of 2025, as data.

- Decree 152/2025/NĐ-CP (in force 01/07/2025) replaced Decree 98/2023: the 2024 period now ends
  on 30/06/2025 (its year-end review: 2024) and a new period starts on 01/07/2025 (year-end
  reviews from 2025), with a copy of the 2024 conditions, quotas and cap. Conditions that rest on
  a decree or circular (not on the Law itself) are copied unconfirmed: whether they survive
  Decree 152 must be checked.
- New awards: the province's emulation flag, the national emulation fighter, the Minister's and
  the Prime Minister's certificates of merit (proposed only), the medal "Vì sự nghiệp giáo dục"
  (seniority), and the Director's certificates by topic and for an extraordinary deed.

Every figure we could not check against the text is entered with confirmed=False and the best
source we have, so the Office can correct it in the admin. Awards are written with
update_or_create on their code: another migration may have created "co-thi-dua-ubnd-tinh"
(clusters) with get_or_create, and either order leaves one complete row.
"""

import datetime

from django.db import migrations

LAW_2022 = "Luật Thi đua, khen thưởng 06/2022/QH15"

# Sources and confirmed flags of the 8 awards 0002 created: they are named by the Law itself.
EXISTING = {
    "lao-dong-tien-tien": LAW_2022,
    "chien-si-thi-dua-co-so": LAW_2022,
    "chien-si-thi-dua-cap-tinh": LAW_2022,
    "tap-the-lao-dong-tien-tien": LAW_2022,
    "tap-the-lao-dong-xuat-sac": LAW_2022,
    "giay-khen-giam-doc-so": LAW_2022 + " (Giấy khen)",
    "giay-khen-tap-the": LAW_2022 + " (Giấy khen)",
    "bang-khen-chu-tich-ubnd-tinh": LAW_2022 + " (Bằng khen cấp bộ, ban, ngành, tỉnh)",
}

FLAG, CSTDTQ = "co-thi-dua-ubnd-tinh", "chien-si-thi-dua-toan-quoc"
BK_BO, BK_TTG = "bang-khen-bo-truong-gddt", "bang-khen-thu-tuong"
KNC = "ky-niem-chuong-vi-su-nghiep-giao-duc"
GK_TOPIC, GK_TOPIC_UNIT, GK_EXTRA = ("giay-khen-chuyen-de", "giay-khen-chuyen-de-tap-the",
                                      "giay-khen-dot-xuat")
LDTT, CSTDCS, CSTDT = "lao-dong-tien-tien", "chien-si-thi-dua-co-so", "chien-si-thi-dua-cap-tinh"
TTLDXS, BK_TINH = "tap-the-lao-dong-xuat-sac", "bang-khen-chu-tich-ubnd-tinh"

DIRECTOR = "Giám đốc Sở Giáo dục và Đào tạo"
MINISTER = "Bộ trưởng Bộ Giáo dục và Đào tạo"
PRIME_MINISTER = "Thủ tướng Chính phủ"

NEW_AWARDS = [
    # code, fields
    (FLAG, {
        "name": "Cờ thi đua của Ủy ban nhân dân tỉnh", "kind": "title", "subject": "collective",
        "level": "province", "authority": "Chủ tịch Ủy ban nhân dân tỉnh", "order": 9,
        "cycle": "annual", "proposal_only": False,
        "description": "Tặng hằng năm cho tập thể tiêu biểu xuất sắc dẫn đầu phong trào thi đua "
                       "của tỉnh, được cụm, khối thi đua suy tôn; Sở đề nghị, UBND tỉnh quyết "
                       "định.",
        "source": LAW_2022 + ", Điều 26 (Cờ thi đua cấp bộ, ban, ngành, tỉnh)",
        "confirmed": False}),
    (CSTDTQ, {
        "name": "Chiến sĩ thi đua toàn quốc", "kind": "title", "subject": "individual",
        "level": "national", "authority": PRIME_MINISTER, "order": 10, "cycle": "annual",
        "proposal_only": True,
        "description": "Chọn trong những người 02 lần liên tục đạt Chiến sĩ thi đua cấp tỉnh; "
                       "Sở đề nghị qua Bộ, Thủ tướng Chính phủ quyết định.",
        "source": LAW_2022 + ", Điều 21", "confirmed": False}),
    (BK_BO, {
        "name": "Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo", "kind": "form",
        "subject": "individual", "level": "national", "authority": MINISTER, "order": 11,
        "cycle": "annual", "proposal_only": True,
        "description": "Bằng khen cấp bộ của ngành Giáo dục; Sở đề nghị, Bộ trưởng quyết định.",
        "source": LAW_2022 + ", Điều 74 (Bằng khen cấp bộ, ban, ngành, tỉnh)",
        "confirmed": False}),
    (BK_TTG, {
        "name": "Bằng khen của Thủ tướng Chính phủ", "kind": "form", "subject": "individual",
        "level": "national", "authority": PRIME_MINISTER, "order": 12, "cycle": "annual",
        "proposal_only": True,
        "description": "Chỉ đề nghị: hồ sơ đi qua Bộ hoặc UBND tỉnh, Thủ tướng Chính phủ quyết "
                       "định; cổng ghi nhận đề nghị và quyết định khi có.",
        "source": LAW_2022 + ", Điều 71", "confirmed": False}),
    (KNC, {
        "name": "Kỷ niệm chương “Vì sự nghiệp giáo dục”", "kind": "form",
        "subject": "individual", "level": "national", "authority": MINISTER, "order": 13,
        "cycle": "seniority", "proposal_only": True,
        "description": "Khen thưởng theo thâm niên: số năm công tác trong ngành giáo dục tính "
                       "từ ngày vào ngành, nữ được giảm số năm theo quy định; không xét từ kết "
                       "quả xếp loại cuối năm.",
        "source": "Thông tư của Bộ Giáo dục và Đào tạo quy định xét tặng Kỷ niệm chương “Vì sự "
                  "nghiệp giáo dục” (số hiệu, điều khoản)",
        "confirmed": False}),
    (GK_TOPIC, {
        "name": "Giấy khen của Giám đốc Sở theo chuyên đề", "kind": "form",
        "subject": "individual", "level": "grassroots", "authority": DIRECTOR, "order": 14,
        "cycle": "topic", "proposal_only": False,
        "description": "Đề nghị khi tổng kết một phong trào thi đua theo chuyên đề (như phong "
                       "trào cải cách hành chính của năm), không từ xếp loại cuối năm; không "
                       "tính làm căn cứ xét khen thưởng theo công trạng.",
        "source": LAW_2022 + " (khen thưởng theo chuyên đề); Nghị định 152/2025/NĐ-CP, Điều 4",
        "confirmed": False}),
    (GK_TOPIC_UNIT, {
        "name": "Giấy khen của Giám đốc Sở theo chuyên đề (tập thể)", "kind": "form",
        "subject": "collective", "level": "grassroots", "authority": DIRECTOR, "order": 15,
        "cycle": "topic", "proposal_only": False,
        "description": "Cho tập thể dẫn đầu khi tổng kết phong trào thi đua theo chuyên đề; "
                       "căn cứ kết quả chấm điểm của phong trào.",
        "source": LAW_2022 + " (khen thưởng theo chuyên đề); Nghị định 152/2025/NĐ-CP, Điều 4",
        "confirmed": False}),
    (GK_EXTRA, {
        "name": "Giấy khen đột xuất của Giám đốc Sở", "kind": "form", "subject": "individual",
        "level": "grassroots", "authority": DIRECTOR, "order": 16, "cycle": "extraordinary",
        "proposal_only": False,
        "description": "Đề nghị ngay sau một thành tích đột xuất, vào bất kỳ lúc nào trong năm; "
                       "không tính làm căn cứ xét khen thưởng theo công trạng.",
        "source": LAW_2022 + " (khen thưởng đột xuất); Nghị định 152/2025/NĐ-CP, Điều 4",
        "confirmed": False}),
]

# The periods: the first year whose year-end review they judge, and how each new award's
# conditions cite the law in them.
PERIOD_2018, PERIOD_2024, PERIOD_2025 = 2018, 2024, 2025
LAW = {PERIOD_2018: "Nghị định 91/2017/NĐ-CP", PERIOD_2024: "Luật 06/2022/QH15",
       PERIOD_2025: "Luật 06/2022/QH15; Nghị định 152/2025/NĐ-CP"}

NAME_2024 = "Luật Thi đua, khen thưởng 06/2022/QH15; Nghị định 98/2023/NĐ-CP"
BASIS_2024 = ("Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15/6/2022\n"
              "Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ (hết hiệu lực từ "
              "01/07/2025)\n"
              "Thông tư số 01/2024/TT-BNV ngày 28/02/2024 của Bộ Nội vụ")
NAME_2025 = "Luật Thi đua, khen thưởng 06/2022/QH15; Nghị định 152/2025/NĐ-CP"
BASIS_2025 = ("Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15/6/2022\n"
              "Nghị định số 152/2025/NĐ-CP ngày 14/6/2025 của Chính phủ, hiệu lực từ 01/7/2025, "
              "thay thế Nghị định số 98/2023/NĐ-CP và Nghị định số 28/2024/NĐ-CP\n"
              # Whether each of its figures survives Decree 152 is noted on the conditions
              # (shown to administrators), not here: the basis is read by everyone.
              "Thông tư số 01/2024/TT-BNV ngày 28/02/2024 của Bộ Nội vụ")


def new_conditions(first_year):
    """(award, alternative, predicate, fields, source, confirmed) of the new awards in a period.
    None is confirmed: each is the best reading of the source named, to be checked."""
    law = LAW[first_year]
    no_reprimand = {"discipline_level": "reprimand"}
    rows = [
        (FLAG, 1, "holds", {"other_award": TTLDXS, "years": 1},
         f"{law}: chọn trong các tập thể đạt Tập thể lao động xuất sắc", False),
        (FLAG, 1, "campaign_class", {"grade": "excellent"},
         f"{law}: hoàn thành vượt mức chỉ tiêu, tập thể tiêu biểu xuất sắc (lấy xếp loại "
         "phong trào thi đua)", False),
        (FLAG, 1, "no_member_discipline", {"discipline_level": "warning"},
         f"{law}: nội bộ đoàn kết, không có cá nhân bị kỷ luật từ cảnh cáo trở lên", False),
        (CSTDTQ, 1, "holds_times", {"other_award": CSTDT, "number": 2, "years": 6},
         f"{law}: 02 lần liên tục đạt Chiến sĩ thi đua cấp tỉnh (tính trong 06 năm)", False),
        (CSTDTQ, 1, "initiatives", {"initiative_level": "province", "number": 1, "years": 6},
         f"{law}: sáng kiến có phạm vi ảnh hưởng toàn quốc (cổng ghi nhận đến cấp tỉnh)",
         False),
        (BK_BO, 1, "holds", {"other_award": CSTDCS, "years": 2},
         f"{law}: như Bằng khen cấp tỉnh — 02 năm liên tục Chiến sĩ thi đua cơ sở", False),
        (BK_BO, 2, "rating", {"rating": "excellent", "years": 2},
         f"{law}: như Bằng khen cấp tỉnh — 02 năm liên tục hoàn thành xuất sắc nhiệm vụ",
         False),
        (BK_BO, 2, "initiatives", {"initiative_level": "grassroots", "number": 2, "years": 2},
         f"{law}: như Bằng khen cấp tỉnh — 02 sáng kiến được công nhận ở cơ sở", False),
    ]
    for alternative, held in ((1, BK_TINH), (2, BK_BO)):
        rows += [
            (BK_TTG, alternative, "holds_times", {"other_award": held, "number": 1, "years": 10},
             f"{law}: đã được tặng Bằng khen cấp bộ, ngành, tỉnh (tính trong 10 năm)", False),
            (BK_TTG, alternative, "rating", {"rating": "excellent", "years": 5},
             f"{law}: 05 năm liên tục hoàn thành xuất sắc nhiệm vụ", False),
            (BK_TTG, alternative, "initiatives",
             {"initiative_level": "grassroots", "number": 5, "years": 5},
             f"{law}: 05 sáng kiến được công nhận ở cơ sở trong 05 năm", False),
        ]
    rows += [
        # The figures as the sector's guidance is commonly applied; the circular's number and
        # article, and the reduction for women, are still to be checked.
        (KNC, 1, "sector_years", {"number": 20, "women_number": 15},
         "Thông tư của Bộ GD&ĐT về Kỷ niệm chương “Vì sự nghiệp giáo dục”: đủ 20 năm công "
         "tác trong ngành, nữ đủ 15 năm (số hiệu, điều khoản cần đối chiếu)", False),
        (KNC, 1, "no_discipline", no_reprimand,
         "Thông tư của Bộ GD&ĐT về Kỷ niệm chương “Vì sự nghiệp giáo dục”: không xét người "
         "đang bị kỷ luật (cần đối chiếu)", False),
        (GK_TOPIC, 1, "no_discipline", no_reprimand,
         f"{law}; Quy chế thi đua, khen thưởng của Sở: khen thưởng theo chuyên đề khi tổng "
         "kết phong trào", False),
        (GK_TOPIC_UNIT, 1, "campaign_class", {"grade": "good"},
         f"{law}; Quy chế thi đua, khen thưởng của Sở: tập thể có thành tích khi tổng kết "
         "phong trào theo chuyên đề (lấy xếp loại của phong trào)", False),
        (GK_EXTRA, 1, "no_discipline", no_reprimand,
         f"{law}; Quy chế thi đua, khen thưởng của Sở: khen thưởng thành tích đột xuất", False),
    ]
    return rows


def load(apps, schema_editor):
    Award = apps.get_model("awards", "Award")
    LegalPeriod = apps.get_model("awards", "LegalPeriod")
    Condition = apps.get_model("awards", "Condition")
    Quota = apps.get_model("awards", "Quota")

    for code, source in EXISTING.items():
        Award.objects.filter(code=code, source="").update(source=source)
    awards = {award.code: award for award in Award.objects.all()}
    for code, fields in NEW_AWARDS:
        awards[code], _created = Award.objects.update_or_create(code=code, defaults=fields)

    periods = {period.first_year: period for period in LegalPeriod.objects.all()}
    old = periods.get(PERIOD_2024)
    if old is not None and old.last_year is None:
        # The 2024 period as 0002 left it: it now ends where Decree 152 begins.
        old.name, old.basis, old.last_year = NAME_2024, BASIS_2024, 2024
        old.starts_on, old.ends_on = datetime.date(2024, 1, 1), datetime.date(2025, 6, 30)
        old.save()
    new, created = LegalPeriod.objects.get_or_create(first_year=PERIOD_2025, defaults={
        "name": NAME_2025, "basis": BASIS_2025, "starts_on": datetime.date(2025, 7, 1),
        "excellent_cap": old.excellent_cap if old else None,
        "excellent_cap_source": old.excellent_cap_source if old else ""})
    periods[PERIOD_2025] = new
    if created and old is not None:
        _copy_into(old, new, Condition, Quota)

    for first_year in (PERIOD_2018, PERIOD_2024, PERIOD_2025):
        period = periods.get(first_year)
        if period is None or (first_year == PERIOD_2025 and not created):
            continue
        # An award that already has conditions in the period (entered by hand) keeps them.
        entered = set(Condition.objects.filter(period=period).values_list("award_id", flat=True))
        for code, alternative, predicate, fields, source, confirmed in new_conditions(
                first_year):
            if awards[code].pk in entered:
                continue
            fields = dict(fields)
            if "other_award" in fields:
                fields["other_award"] = awards[fields["other_award"]]
            Condition.objects.create(period=period, award=awards[code], alternative=alternative,
                                     predicate=predicate, source=source, confirmed=confirmed,
                                     **fields)


def _copy_into(old, new, Condition, Quota):
    """The 2024 conditions and quotas, as the Office has them now, for the 2025 period. What
    rests on the Law stays as it was; what rests on a decree or circular is marked to check."""
    for condition in Condition.objects.filter(period=old):
        condition.pk, condition.period = None, new
        if not condition.source.startswith("Luật"):
            condition.confirmed = False
            condition.source = (condition.source + " — còn áp dụng theo Nghị định "
                                "152/2025/NĐ-CP: cần đối chiếu")[:300]
        condition.save()
    for quota in Quota.objects.filter(period=old):
        quota.pk, quota.period = None, new
        quota.save()


def unload(apps, schema_editor):
    """Back to the catalogue of 0002: the 2025 period and the new awards go."""
    from django.db.models import Q

    Award = apps.get_model("awards", "Award")
    Condition = apps.get_model("awards", "Condition")
    LegalPeriod = apps.get_model("awards", "LegalPeriod")
    LegalPeriod.objects.filter(first_year=PERIOD_2025).delete()
    LegalPeriod.objects.filter(first_year=PERIOD_2024).update(last_year=None, ends_on=None)
    codes = [code for code, _fields in NEW_AWARDS]
    Condition.objects.filter(Q(award__code__in=codes) | Q(other_award__code__in=codes)).delete()
    # The flag stays: the clusters' migration may have created it too.
    Award.objects.filter(code__in=codes).exclude(code=FLAG).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0008_catalogue_2025_schema")]

    operations = [migrations.RunPython(load, unload)]
