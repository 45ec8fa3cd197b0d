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
