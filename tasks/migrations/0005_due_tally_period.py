from django.db import migrations, models


def count_again(apps, schema_editor):
    # The rows gain their period key: counted again from the reports (the services keep them
    # from now on). `tally` uses today's models: a later change to the tallies' columns moves
    # this call to its own migration, as this one took it over from 0002.
    from tasks import tally

    tally.rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0004_report_queue_indexes_postgresql"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="duereporttally", name="duereporttally_unique"),
        migrations.AddField(
            model_name="duereporttally",
            name="period",
            field=models.CharField(default="", max_length=10),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="duereporttally",
            constraint=models.UniqueConstraint(fields=("unit", "item", "period", "period_due"),
                                               name="duereporttally_unique_period"),
        ),
        migrations.RunPython(count_again, migrations.RunPython.noop),
    ]
