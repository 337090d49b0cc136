"""The plans issued so far (launched or closed) enter the register of outgoing documents with
their numbers as typed, dated their date of issue (else the day they were launched), and each
plan series' counter is set past the highest number found: the next plan launched continues
the year's sequence (as awards/migrations/0028_decision_number_per_year.py did for
decisions)."""

import re

from django.db import migrations


def _fold(text):
    import unicodedata
    folded = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    bare = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def _sequence(number, symbol):
    key = re.sub(r"\s+", "", number).upper()
    found = re.fullmatch(rf"0*(\d{{1,7}})/{re.escape(f'KH-{symbol}'.upper())}", key)
    return int(found.group(1)) if found else None


def register_existing(apps, schema_editor):
    Department = apps.get_model("units", "Department")
    Document = apps.get_model("units", "OutgoingDocument")
    Counter = apps.get_model("units", "OutgoingCounter")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Campaign = apps.get_model("campaigns", "Campaign")
    department = Department.objects.order_by("pk").first()
    symbol = department.symbol if department else "SGDĐT"
    series = "" if department is not None and department.numbering == "shared" else "KH"
    plan_type = ContentType.objects.get_or_create(app_label="campaigns", model="campaign")[0]
    taken = {(year, key) for year, key in Document.objects.values_list("year", "number_key")}
    used = set(Document.objects.filter(series=series).exclude(sequence=None)
               .values_list("year", "sequence"))
    highest = {}
    for plan in Campaign.objects.exclude(status="draft").order_by("pk"):
        day = plan.issued_on or (plan.launched_at.date() if plan.launched_at else None)
        if day is None:
            continue
        number = f"{plan.number}/{plan.symbol}"
        key = re.sub(r"\s+", "", number).upper()
        if (day.year, key) in taken:
            continue  # already in the register (typed there by hand)
        taken.add((day.year, key))
        sequence = _sequence(number, symbol)
        if sequence is not None and (day.year, sequence) in used:
            sequence = None
        used.add((day.year, sequence))
        Document.objects.create(
            year=day.year, kind="KH", series=series, sequence=sequence, number=number,
            number_key=key, typed=True, issued_on=day,
            subject=f"Kế hoạch tổ chức phong trào thi đua “{plan.title}” năm {plan.year}",
            signer_name=plan.signer_name, signer_title=plan.signer_title,
            target_type=plan_type, target_id=plan.pk, created_by_id=plan.launched_by_id,
            search_text=_fold(" ".join((number, plan.title, plan.signer_name))))
        if sequence is not None:
            highest[day.year] = max(highest.get(day.year, 0), sequence)
    for year, last in highest.items():
        counter, _created = Counter.objects.get_or_create(year=year, series=series)
        if counter.last < last:
            counter.last = last
            counter.save(update_fields=["last"])


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0002_identity_defaults"),
        ("units", "0013_outgoing_register"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(register_existing, migrations.RunPython.noop)]
