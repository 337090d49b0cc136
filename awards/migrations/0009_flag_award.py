"""The emulation flag of the provincial People's Committee, which clusters propose.

Minimal on purpose: the catalogue's own migration (issue 16, the 2025 law) adds the award with
its conditions; get_or_create lets whichever runs second keep the first one's row.
"""

from django.db import migrations


def add_flag(apps, schema_editor):
    Award = apps.get_model("awards", "Award")
    Award.objects.get_or_create(code="co-thi-dua-ubnd-tinh", defaults={
        "name": "Cờ thi đua của Ủy ban nhân dân tỉnh", "kind": "title", "subject": "collective",
        "level": "province", "authority": "Chủ tịch Ủy ban nhân dân tỉnh", "order": 90,
    })


class Migration(migrations.Migration):
    dependencies = [("awards", "0008_cluster_proposal")]

    operations = [migrations.RunPython(add_flag, migrations.RunPython.noop)]
