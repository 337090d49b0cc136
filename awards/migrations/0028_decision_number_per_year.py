"""Decision numbers are unique within a year (they start again at 01 each year, held by the
register of outgoing documents), and the decisions and dossier letters issued so far enter the
register with their numbers; each series' counter is set past the highest number found."""

import re

from django.db import migrations, models

ABBREVIATION = {"QD": "QĐ", "TTR": "TTr"}


def _fold(text):
    import unicodedata
    folded = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    bare = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def _sequence(kind, number, symbol):
    key = re.sub(r"\s+", "", number).upper()
    tail = re.escape(f"{ABBREVIATION[kind]}-{symbol}".upper())
    found = re.fullmatch(rf"0*(\d{{1,7}})/{tail}", key)
    return int(found.group(1)) if found else None


def register_existing(apps, schema_editor):
    Department = apps.get_model("units", "Department")
    Document = apps.get_model("units", "OutgoingDocument")
    Counter = apps.get_model("units", "OutgoingCounter")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Decision = apps.get_model("awards", "Decision")
    Dossier = apps.get_model("awards", "Dossier")
    department = Department.objects.order_by("pk").first()
    symbol = department.symbol if department else "SGDĐT"
    shared = department is not None and department.numbering == "shared"
    rows = []
    decision_type = ContentType.objects.get_or_create(app_label="awards", model="decision")[0]
    for decision in Decision.objects.filter(dossier__isnull=True).select_related("award"):
        rows.append(("QD", decision.number, decision.signed_on,
                     (f"Về việc công nhận danh hiệu {decision.award.name} năm {decision.year}"
                      if decision.award.kind == "title"
                      else f"Về việc tặng {decision.award.name} năm {decision.year}"),
                     decision.signer_name, decision.signer_title, decision_type, decision.pk,
                     decision.revoked_at, decision.created_by_id))
    dossier_type = ContentType.objects.get_or_create(app_label="awards", model="dossier")[0]
    for dossier in Dossier.objects.exclude(sent_number="").filter(sent_on__isnull=False
                                                                  ).select_related("award"):
        rows.append(("TTR", dossier.sent_number, dossier.sent_on,
                     f"Tờ trình đề nghị {dossier.award.name} năm {dossier.year}",
                     "", "", dossier_type, dossier.pk, None, None))
    seen, highest = set(), {}
    for kind, number, day, subject, signer, title, ctype, pk, _revoked, user in rows:
        key = re.sub(r"\s+", "", number).upper()
        if (day.year, key) in seen:
            continue  # the same number twice in a year (typed twice before the register)
        seen.add((day.year, key))
        series = "" if shared else kind
        sequence = _sequence(kind, number, symbol)
        if sequence is not None and (day.year, series, sequence) in highest.get("taken", set()):
            sequence = None
        highest.setdefault("taken", set()).add((day.year, series, sequence))
        Document.objects.create(
            year=day.year, kind=kind, series=series, sequence=sequence, number=number,
            number_key=key, typed=True, issued_on=day, subject=subject, signer_name=signer,
            signer_title=title, target_type=ctype, target_id=pk, created_by_id=user,
            search_text=_fold(" ".join((number, subject, signer))))
        if sequence is not None:
            highest[(day.year, series)] = max(highest.get((day.year, series), 0), sequence)
    for (year, series), last in ((k, v) for k, v in highest.items() if k != "taken"):
        Counter.objects.update_or_create(year=year, series=series, defaults={"last": last})


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0027_certificate_layouts'),
        ('units', '0013_outgoing_register'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterField(
            model_name='decision',
            name='number',
            field=models.CharField(db_index=True, help_text='As on the signed document, e.g. 1802/QĐ-SGDĐT.', max_length=60, verbose_name='number'),
        ),
        migrations.RunPython(register_existing, migrations.RunPython.noop),
    ]
