from django.db import migrations

# The oldest submitted and returned reports are listed NULLS FIRST. SQLite puts NULLs first in
# an ascending index already; PostgreSQL puts them last, so without these it sorts every report
# of the status to find the ten oldest. SQLite cannot declare NULLS FIRST in an index: these are
# PostgreSQL's alone.
INDEXES = [
    ("report_status_submitted_nf", "status, submitted_at ASC NULLS FIRST, id"),
    ("report_status_reviewed_nf", "status, reviewed_at ASC NULLS FIRST, id"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "tasks_progressreport" ({columns})')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _columns in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("tasks", "0003_report_indexes")]

    operations = [migrations.RunPython(create, drop)]
