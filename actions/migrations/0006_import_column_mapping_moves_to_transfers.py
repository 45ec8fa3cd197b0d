# The plan import's remembered columns moved to the transfers app. The tables stay; transfers 0001
# renames them and takes the models over.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('actions', '0005_import_column_mapping'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HistoricalImportColumnMapping'),
                migrations.DeleteModel(name='ImportColumnMapping'),
            ],
            database_operations=[],
        ),
    ]
