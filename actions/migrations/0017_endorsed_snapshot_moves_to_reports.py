"""The endorsed round's snapshot now lives in reports.FrozenRecord (reports/migrations/0004 copied it there)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0016_action_outcome_rules"),
        ("reports", "0004_frozen_record"),
    ]

    operations = [
        migrations.RemoveField(model_name="historicalmonitoringround", name="endorsed_snapshot"),
        migrations.RemoveField(model_name="monitoringround", name="endorsed_snapshot"),
    ]
