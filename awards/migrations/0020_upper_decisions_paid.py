"""An upper level's decision on a dossier is registered as a Decision (issuer, dossier) so that
its awards are paid like the Department's own; dossiers decided before this step get theirs."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def register_upper_decisions(apps, schema_editor):
    """Each decided dossier without its Decision gets one; its conferrals and nominees point to
    it, as services_dossier.decide does now."""
    Dossier = apps.get_model("awards", "Dossier")
    Decision = apps.get_model("awards", "Decision")
    Conferral = apps.get_model("awards", "Conferral")
    Nominee = apps.get_model("awards", "Nominee")
    for dossier in Dossier.objects.filter(status="decided", upper_decision__isnull=True):
        decision = Decision.objects.create(
            award_id=dossier.award_id, year=dossier.year, number=dossier.decision_number,
            signed_on=dossier.decided_on, signer_name="", signer_title="",
            issuer=dossier.decided_by, dossier=dossier, created_by_id=dossier.created_by_id)
        Conferral.objects.filter(dossier=dossier).update(issued_by=decision)
        Nominee.objects.filter(award_id=dossier.award_id, proposal__year=dossier.year,
                               passed=True, proposal__stage="approved",
                               decision__isnull=True).update(decision=decision)


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0019_dossiers_up_the_levels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='decision',
            name='dossier',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='upper_decision', to='awards.dossier', verbose_name='decided on the dossier'),
        ),
        migrations.AddField(
            model_name='decision',
            name='issuer',
            field=models.CharField(blank=True, help_text="The upper level that issued it; empty for the Department's own decisions.", max_length=200, verbose_name='issued by'),
        ),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.CheckConstraint(condition=models.Q(('dossier__isnull', True), models.Q(('issuer', ''), _negated=True), _connector='OR'), name='upper_decision_names_its_issuer'),
        ),
        migrations.RunPython(register_upper_decisions, migrations.RunPython.noop),
    ]
