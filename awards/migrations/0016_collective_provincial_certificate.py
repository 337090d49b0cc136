"""The collective Bằng khen of the provincial chairman, with its conditions in every legal
period, as data: the cluster meeting proposes Bằng khen candidates (issue 16), and until now the
catalogue held only the individual one, so its form had nothing to offer.

The Law gives the provincial Bằng khen to a collective meeting one of several standards; the
portal checks the two it holds facts for:

1. two consecutive years "hoàn thành xuất sắc nhiệm vụ", read as Tập thể lao động xuất sắc two
   years running (the title the portal records for a collective's excellent year), with no
   member disciplined at warning or above (the internal unity the Law asks for);
2. an excellent record in the year's emulation movement, read as the campaign's locked class
   "excellent" (what the cluster's peer scoring and the department's campaign bring to the
   meeting), with the same discipline condition.

Neither reading, nor the article of the 2003 Law's decree, is in our domain notes: every
condition is entered unconfirmed with its source, for the Office to check in the admin. The
award itself is marked as the individual one is: the province decides, the Department proposes
it on its lists (not proposal-only).
"""

from django.db import migrations

CODE = "bang-khen-chu-tich-ubnd-tinh-tap-the"
TTLDXS = "tap-the-lao-dong-xuat-sac"

AWARD = {
    "name": "Bằng khen của Chủ tịch UBND tỉnh (tập thể)", "kind": "form",
    "subject": "collective", "level": "province", "authority": "Chủ tịch Ủy ban nhân dân tỉnh",
    "order": 17, "cycle": "annual", "proposal_only": False,
    "description": "Tặng tập thể 02 năm liên tục hoàn thành xuất sắc nhiệm vụ, nội bộ đoàn kết, "
                   "hoặc có thành tích xuất sắc được bình xét trong phong trào thi đua (như "
                   "cụm, khối thi đua đề nghị); Sở đề nghị, Chủ tịch UBND tỉnh quyết định.",
    "source": "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 74 khoản 2 (Bằng khen cấp bộ, "
              "ban, ngành, tỉnh tặng tập thể)",
    "confirmed": False,
}

# The law each period's conditions cite, by the period's first year.
LAW = {
    2018: "Nghị định 91/2017/NĐ-CP, Điều 39 (Bằng khen cấp bộ, ngành, tỉnh tặng tập thể; "
          "điều khoản cần đối chiếu)",
    2024: "Luật 06/2022/QH15, Điều 74 khoản 2",
    2025: "Luật 06/2022/QH15, Điều 74 khoản 2; Nghị định 152/2025/NĐ-CP",
}


def conditions(first_year):
    """(alternative, predicate, fields, source) of the award in a period; none confirmed. A
    period the Office added later cites the law of the latest period above that it follows."""
    law = LAW[max([year for year in LAW if year <= first_year], default=min(LAW))]
    unity = {"discipline_level": "warning"}
    return [
        (1, "holds", {"other_award": TTLDXS, "years": 2},
         f"{law}: 02 năm liên tục hoàn thành xuất sắc nhiệm vụ (cổng đọc là 02 năm liên tục "
         "đạt Tập thể lao động xuất sắc)"),
        (1, "no_member_discipline", unity,
         f"{law}: nội bộ đoàn kết (cổng đọc là không có cá nhân bị kỷ luật từ cảnh cáo trở "
         "lên)"),
        (2, "campaign_class", {"grade": "excellent"},
         f"{law}: có thành tích xuất sắc được bình xét trong phong trào thi đua (cổng đọc là "
         "xếp loại xuất sắc của phong trào thi đua)"),
        (2, "no_member_discipline", unity,
         f"{law}: nội bộ đoàn kết (cổng đọc là không có cá nhân bị kỷ luật từ cảnh cáo trở "
         "lên)"),
    ]


def load(apps, schema_editor):
    Award = apps.get_model("awards", "Award")
    Condition = apps.get_model("awards", "Condition")
    LegalPeriod = apps.get_model("awards", "LegalPeriod")
    award, _created = Award.objects.update_or_create(code=CODE, defaults=AWARD)
    held = Award.objects.get(code=TTLDXS)
    for period in LegalPeriod.objects.all():
        # Conditions the Office already entered by hand for it stay as they are.
        if Condition.objects.filter(period=period, award=award).exists():
            continue
        for alternative, predicate, fields, source in conditions(period.first_year):
            fields = dict(fields)
            if "other_award" in fields:
                fields["other_award"] = held
            Condition.objects.create(period=period, award=award, alternative=alternative,
                                     predicate=predicate, source=source[:300], confirmed=False,
                                     **fields)


def unload(apps, schema_editor):
    Award = apps.get_model("awards", "Award")
    apps.get_model("awards", "Condition").objects.filter(award__code=CODE).delete()
    Award.objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0015_catalogue_2025_checked")]
    operations = [migrations.RunPython(load, unload)]
