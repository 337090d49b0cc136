"""The 2025 period's figures checked against the project's domain notes (the law by period).

The notes confirm no condition's figure of the 2025 period with its own source, so every
`confirmed` flag stays as 0009 left it. One finding is written on the conditions it concerns:
Decree 152/2025 Art. 4 (as the notes read it) says no lower award is needed before a higher one,
which contradicts the Prime Minister's certificate asking for a provincial or Ministry certificate
first; the Office must check it against the decree before relying on it.
"""

from django.db import migrations

BK_TTG = "bang-khen-thu-tuong"
NOTE = (" — Nghị định 152/2025/NĐ-CP, Điều 4: không bắt buộc có hình thức khen thưởng mức "
        "thấp hơn trước: cần đối chiếu")


def note(apps, schema_editor):
    Condition = apps.get_model("awards", "Condition")
    rows = Condition.objects.filter(period__first_year=2025, award__code=BK_TTG,
                                    predicate="holds_times", confirmed=False)
    for condition in rows:
        if NOTE not in condition.source:
            condition.source = (condition.source + NOTE)[:300]
            condition.save(update_fields=["source"])


def unnote(apps, schema_editor):
    Condition = apps.get_model("awards", "Condition")
    for condition in Condition.objects.filter(period__first_year=2025, award__code=BK_TTG,
                                              predicate="holds_times"):
        if condition.source.endswith(NOTE):
            condition.source = condition.source[:-len(NOTE)]
            condition.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("awards", "0014_special_proposals")]

    operations = [migrations.RunPython(note, unnote)]
