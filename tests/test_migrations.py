"""Moving a model between apps keeps its rows: data written on the old schema is there after migrating."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD = [
    ("actions", "0005_import_column_mapping"),
    ("transfers", None),
    ("accounts", None),
    ("people", "0002_edit_versions"),
    ("inspections", "0003_finding_sign_off"),
]


@pytest.fixture
def executor(transactional_db):
    executor = MigrationExecutor(connection)
    yield executor
    # Leave the database at the newest schema for the tests after this one.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_import_column_mappings_survive_the_move_to_transfers(executor):
    executor.migrate(OLD)
    old = executor.loader.project_state([OLD[0]]).apps
    partnership = old.get_model("inspections", "Partnership").objects.create(name="Old schema", local_authority="C")
    agency = old.get_model("inspections", "Agency").objects.create(partnership=partnership, name="Council")
    user = old.get_model("auth", "User").objects.create(username="old.schema")
    person = old.get_model("people", "Person").objects.create(
        user=user, partnership=partnership, agency=agency, role="manager"
    )
    old.get_model("actions", "ImportColumnMapping").objects.create(
        partnership=partnership, mapping={"reference": "ref"}, updated_by=person
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.contenttypes.models import ContentType

    from transfers.models import ImportColumnMapping

    mapping = ImportColumnMapping.objects.get(partnership__name="Old schema")
    assert mapping.mapping == {"reference": "ref"}
    assert mapping.updated_by.user.username == "old.schema"
    assert ContentType.objects.filter(app_label="transfers", model="importcolumnmapping").exists()
    assert not ContentType.objects.filter(app_label="actions", model="importcolumnmapping").exists()
    # New rows go to the renamed table with fresh ids.
    ImportColumnMapping.objects.filter(pk=mapping.pk).update(mapping={})
    assert ImportColumnMapping.history.model._meta.db_table == "transfers_historicalimportcolumnmapping"


def test_endorsed_snapshots_move_to_their_own_table_with_their_figures(executor):
    before = [("actions", "0016_action_outcome_rules"), ("reports", "0003_report_style_and_standard_sections")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    partnership = old.get_model("inspections", "Partnership").objects.create(name="Old snapshots", local_authority="C")
    inspection = old.get_model("inspections", "Inspection").objects.create(
        partnership=partnership, theme="Neglect", fieldwork_start="2020-01-06", fieldwork_end="2020-01-10"
    )
    plan = old.get_model("actions", "ActionPlan").objects.create(inspection=inspection, title="Plan")
    Round = old.get_model("actions", "MonitoringRound")
    snapshot = {
        "version": 2,
        "as_at": "2020-05-31",
        "total": 3,
        "complete": 1,
        "entries": [{"quadrant": "complete"}, {"quadrant": "red"}, {"quadrant": ""}],
        "closed": [{"outcome": "superseded"}],
    }
    endorsed = Round.objects.create(
        plan=plan,
        label="May 2020",
        period_end="2020-05-31",
        update_deadline="2020-05-20",
        state="endorsed",
        endorsed_on="2020-06-02",
        endorsed_snapshot=snapshot,
    )
    first_version = Round.objects.create(
        plan=plan,
        label="Feb 2020",
        period_end="2020-02-29",
        update_deadline="2020-02-20",
        state="endorsed",
        endorsed_on="2020-03-02",
        endorsed_snapshot={"version": 1, "actions": []},
    )
    Round.objects.create(plan=plan, label="Aug 2020", period_end="2020-08-31", update_deadline="2020-08-20")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from actions.models import MonitoringRound
    from reports.models import FrozenRecord

    assert FrozenRecord.objects.count() == 2
    record = FrozenRecord.objects.get(round_id=endorsed.pk)
    assert record.snapshot == snapshot
    assert record.figures == {
        "counts": {"complete": 1, "red": 1},
        "total": 3,
        "complete": 1,
        "as_at": "2020-05-31",
        "closed": {"superseded": 1},
    }
    assert FrozenRecord.objects.get(round_id=first_version.pk).figures == {}
    assert MonitoringRound.objects.get(pk=endorsed.pk).endorsed_snapshot == snapshot
    assert "endorsed_snapshot" not in {field.name for field in MonitoringRound.history.model._meta.get_fields()}


def test_published_pdfs_move_between_the_database_and_storage_byte_for_byte(executor, settings, tmp_path):
    """reports 0005 and yearly 0002: a PDF kept in the database column is in storage after, and back if reversed."""
    import datetime

    from django.utils import timezone

    from tests.factories import MonitoringRoundFactory, PersonFactory

    settings.MEDIA_ROOT = tmp_path
    monitoring_round = MonitoringRoundFactory()
    person = PersonFactory(partnership=monitoring_round.plan.inspection.partnership)
    before = [("reports", "0004_frozen_record"), ("yearly", "0001_initial")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    report = old.get_model("reports", "CommitteeReport").objects.create(
        plan_id=monitoring_round.plan_id, round_id=monitoring_round.pk, title="Progress", report_of="Officer"
    )
    content = b"%PDF-1.7\n" + bytes(range(256)) * 40
    old.get_model("reports", "PublishedReport").objects.create(
        report=report,
        version=1,
        title="Progress",
        committee="Scrutiny",
        meeting_date=datetime.date(2020, 7, 16),
        html="<p>Progress</p>",
        pdf=content,
        figures={},
        sha256="0" * 64,
        published_by_id=person.pk,
        published_at=timezone.now(),
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from reports.models import PublishedReport

    published = PublishedReport.objects.get()
    assert published.pdf_file.name.startswith("published/publishedreport/")
    assert (tmp_path / published.pdf_file.name).read_bytes() == content

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(before)
    reverted = executor.loader.project_state(before).apps.get_model("reports", "PublishedReport").objects.get()
    assert bytes(reverted.pdf) == content
