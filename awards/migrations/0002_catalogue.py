"""The catalogue of titles and forms and the law of the two legal periods, as data.

Every install needs them (not only the demo). Figures docs/domain.md marks unconfirmed are entered
with confirmed=False and their source, so the Office can check and correct them in the admin.
"""

from django.db import migrations

AWARDS = [
    # code, name, kind, subject, level, authority
    ("lao-dong-tien-tien", "Lao động tiên tiến", "title", "individual", "grassroots",
     "Giám đốc Sở Giáo dục và Đào tạo"),
    ("chien-si-thi-dua-co-so", "Chiến sĩ thi đua cơ sở", "title", "individual", "grassroots",
     "Giám đốc Sở Giáo dục và Đào tạo"),
    ("chien-si-thi-dua-cap-tinh", "Chiến sĩ thi đua cấp tỉnh", "title", "individual",
     "province", "Chủ tịch Ủy ban nhân dân tỉnh"),
    ("tap-the-lao-dong-tien-tien", "Tập thể lao động tiên tiến", "title", "collective",
     "grassroots", "Giám đốc Sở Giáo dục và Đào tạo"),
    ("tap-the-lao-dong-xuat-sac", "Tập thể lao động xuất sắc", "title", "collective",
     "province", "Chủ tịch Ủy ban nhân dân tỉnh"),
    ("giay-khen-giam-doc-so", "Giấy khen của Giám đốc Sở", "form", "individual", "grassroots",
     "Giám đốc Sở Giáo dục và Đào tạo"),
    ("giay-khen-tap-the", "Giấy khen của Giám đốc Sở (tập thể)", "form", "collective",
     "grassroots", "Giám đốc Sở Giáo dục và Đào tạo"),
    ("bang-khen-chu-tich-ubnd-tinh", "Bằng khen của Chủ tịch UBND tỉnh", "form", "individual",
     "province", "Chủ tịch Ủy ban nhân dân tỉnh"),
]

OLD = ("Luật Thi đua, Khen thưởng 2003 (sửa đổi 2005, 2013); Nghị định 91/2017/NĐ-CP; "
       "Thông tư 12/2019/TT-BNV", 2018, 2023,
       "Luật Thi đua, Khen thưởng năm 2003, sửa đổi, bổ sung năm 2005 và 2013\n"
       "Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ\n"
       "Thông tư số 12/2019/TT-BNV ngày 04/11/2019 của Bộ Nội vụ")
NEW = ("Luật Thi đua, khen thưởng 06/2022/QH15; Nghị định 98/2023/NĐ-CP (thay bằng Nghị định "
       "152/2025/NĐ-CP)", 2024, None,
       "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15/6/2022\n"
       "Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ (thay thế bởi Nghị định số "
       "152/2025/NĐ-CP)\n"
       "Thông tư số 01/2024/TT-BNV ngày 28/02/2024 của Bộ Nội vụ")

LDTT, CSTDCS, CSTDT = "lao-dong-tien-tien", "chien-si-thi-dua-co-so", "chien-si-thi-dua-cap-tinh"
TTLDTT, TTLDXS = "tap-the-lao-dong-tien-tien", "tap-the-lao-dong-xuat-sac"
GK, GKTT, BK = "giay-khen-giam-doc-so", "giay-khen-tap-the", "bang-khen-chu-tich-ubnd-tinh"


def conditions(new_law: bool):
    """(award, alternative, predicate, fields, source, confirmed) for a period."""
    law = "Luật 06/2022/QH15" if new_law else "Nghị định 91/2017/NĐ-CP"
    months = 6 if new_law else 10
    rows = [
        (LDTT, 1, "rating", {"rating": "good"},
         f"{law}: hoàn thành tốt nhiệm vụ trở lên", True),
        (LDTT, 1, "months_served", {"number": months},
         "Thông tư 01/2024/TT-BNV: từ 06 tháng" if new_law
         else "Nghị định 91/2017/NĐ-CP, Điều 6: không xét người tuyển dụng dưới 10 tháng", True),
        (LDTT, 1, "no_discipline", {"discipline_level": "reprimand"},
         f"{law}: không xét người bị kỷ luật từ khiển trách trở lên", True),
        (CSTDCS, 1, "holds", {"other_award": LDTT, "years": 1},
         f"{law}: đạt danh hiệu Lao động tiên tiến", True),
        (CSTDCS, 1, "initiatives", {"initiative_level": "grassroots", "number": 1},
         f"{law}: có sáng kiến được công nhận ở cơ sở", True),
        (CSTDT, 1, "holds", {"other_award": CSTDCS, "years": 3},
         f"{law}: 03 lần liên tục đạt Chiến sĩ thi đua cơ sở", not new_law),
        (CSTDT, 1, "initiatives", {"initiative_level": "province", "number": 1, "years": 3},
         f"{law}: sáng kiến có phạm vi ảnh hưởng trong tỉnh", not new_law),
        (TTLDTT, 1, "campaign_class", {"grade": "good"},
         f"{law}: hoàn thành tốt nhiệm vụ (lấy xếp loại phong trào thi đua)", False),
        (TTLDTT, 1, "members_holding", {"other_award": LDTT, "number": 50, "strict": True},
         f"{law}: trên 50% cá nhân đạt Lao động tiên tiến", True),
        (TTLDTT, 1, "no_member_discipline", {"discipline_level": "warning"},
         f"{law}: không có cá nhân bị kỷ luật từ cảnh cáo trở lên", True),
        (TTLDXS, 1, "members_rated", {"rating": "completed", "number": 100},
         f"{law}: 100% cá nhân hoàn thành nhiệm vụ", True),
        (TTLDXS, 1, "members_rated" if new_law else "members_holding",
         {"rating": "good", "number": 70} if new_law else {"other_award": LDTT, "number": 70},
         f"{law}: ít nhất 70% cá nhân hoàn thành tốt hoặc xuất sắc nhiệm vụ" if new_law
         else f"{law}: ít nhất 70% cá nhân đạt Lao động tiên tiến", True),
        (TTLDXS, 1, "one_member_holding", {"other_award": CSTDCS},
         f"{law}: có cá nhân đạt Chiến sĩ thi đua cơ sở", True),
        (TTLDXS, 1, "no_member_discipline", {"discipline_level": "warning"},
         f"{law}: không có cá nhân bị kỷ luật từ cảnh cáo trở lên", True),
        (GK, 1, "rating", {"rating": "good"}, "Quy chế thi đua, khen thưởng của Sở", False),
        (GKTT, 1, "campaign_class", {"grade": "good"}, "Quy chế thi đua, khen thưởng của Sở",
         False),
        (BK, 1, "holds", {"other_award": CSTDCS, "years": 2},
         f"{law}: 02 năm liên tục Chiến sĩ thi đua cơ sở", True),
        (BK, 2, "rating", {"rating": "excellent", "years": 2},
         f"{law}: 02 năm liên tục hoàn thành xuất sắc nhiệm vụ", True),
        (BK, 2, "initiatives", {"initiative_level": "grassroots", "number": 2, "years": 2},
         f"{law}: có 02 sáng kiến được công nhận ở cơ sở", True),
    ]
    return rows


def load(apps, schema_editor):
    Award = apps.get_model("awards", "Award")
    LegalPeriod = apps.get_model("awards", "LegalPeriod")
    Condition = apps.get_model("awards", "Condition")
    Quota = apps.get_model("awards", "Quota")
    awards = {}
    for order, (code, name, kind, subject, level, authority) in enumerate(AWARDS, start=1):
        awards[code], _created = Award.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "subject": subject,
                                 "level": level, "authority": authority, "order": order})
    for new_law, (name, first, last, basis) in ((False, OLD), (True, NEW)):
        period, created = LegalPeriod.objects.get_or_create(
            first_year=first, defaults={"name": name, "last_year": last, "basis": basis})
        if not created:
            continue
        for code, alternative, predicate, fields, source, confirmed in conditions(new_law):
            fields = dict(fields)
            if "other_award" in fields:
                fields["other_award"] = awards[fields["other_award"]]
            Condition.objects.create(period=period, award=awards[code], alternative=alternative,
                                     predicate=predicate, source=source, confirmed=confirmed,
                                     **fields)
        Quota.objects.create(period=period, award=awards[CSTDCS], base_award=awards[LDTT],
                             percent=15, confirmed=False,
                             source="Thông tư hướng dẫn của ngành: không quá 15% số cá nhân đạt "
                                    "Lao động tiên tiến (mức trần toàn quốc chưa xác nhận)")


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
