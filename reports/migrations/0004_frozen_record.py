"""An endorsed round's frozen record moves from MonitoringRound.endorsed_snapshot to its own table.

Rows that merely mention a round (an update's round, a report's round) no longer carry a whole frozen board;
each record keeps the round's figures beside it so the pages that quote them need not read it.
"""

import django.db.models.deletion
from django.db import migrations, models


def _figures(snapshot):
    """reports.frozen.snapshot_figures as of this migration."""
    if not isinstance(snapshot, dict) or snapshot.get("version") != 2:
        return {}
    counts, closed = {}, {}
    for row in snapshot["entries"]:
        if row["quadrant"]:
            counts[row["quadrant"]] = counts.get(row["quadrant"], 0) + 1
    for row in snapshot.get("closed", []):
        closed[row["outcome"]] = closed.get(row["outcome"], 0) + 1
    return {
        "counts": counts,
        "total": snapshot["total"],
        "complete": snapshot["complete"],
        "as_at": snapshot.get("as_at"),
        "closed": closed,
    }


def move_snapshots(apps, schema_editor):
    MonitoringRound = apps.get_model("actions", "MonitoringRound")
    FrozenRecord = apps.get_model("reports", "FrozenRecord")
    round_ids = MonitoringRound.objects.filter(endorsed_snapshot__isnull=False).values_list("pk", flat=True)
    for round_id in round_ids.iterator():  # one record in memory at a time: each is a whole board
        snapshot = MonitoringRound.objects.filter(pk=round_id).values_list("endorsed_snapshot", flat=True).get()
        FrozenRecord.objects.create(round_id=round_id, snapshot=snapshot, figures=_figures(snapshot))


def move_back(apps, schema_editor):
    MonitoringRound = apps.get_model("actions", "MonitoringRound")
    FrozenRecord = apps.get_model("reports", "FrozenRecord")
    for round_id in FrozenRecord.objects.values_list("round_id", flat=True).iterator():
        snapshot = FrozenRecord.objects.filter(round_id=round_id).values_list("snapshot", flat=True).get()
        MonitoringRound.objects.filter(pk=round_id).update(endorsed_snapshot=snapshot)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0016_action_outcome_rules"),
        ("reports", "0003_report_style_and_standard_sections"),
    ]

    operations = [
        migrations.CreateModel(
            name="FrozenRecord",
            fields=[
                (
                    "round",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="frozen_record",
                        serialize=False,
                        to="actions.monitoringround",
                    ),
                ),
                ("snapshot", models.JSONField()),
                ("figures", models.JSONField(default=dict)),
                ("recorded_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.RunPython(move_snapshots, move_back),
    ]
