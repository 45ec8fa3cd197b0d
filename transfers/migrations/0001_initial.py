# ImportColumnMapping and its history moved here from the actions app: the rows are kept, the tables
# renamed, and the content types follow so that history and permissions still find them.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

TABLES = [
    ('actions_importcolumnmapping', 'transfers_importcolumnmapping'),
    ('actions_historicalimportcolumnmapping', 'transfers_historicalimportcolumnmapping'),
]


def move_content_types(apps, schema_editor, old='actions', new='transfers'):
    content_type = apps.get_model('contenttypes', 'ContentType')
    for model in ('importcolumnmapping', 'historicalimportcolumnmapping'):
        if not content_type.objects.filter(app_label=new, model=model).exists():
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, old='transfers', new='actions')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('actions', '0006_import_column_mapping_moves_to_transfers'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('inspections', '0001_initial'),
        ('people', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'ALTER TABLE {old} RENAME TO {new}', reverse_sql=f'ALTER TABLE {new} RENAME TO {old}'
                )
                for old, new in TABLES
            ],
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalImportColumnMapping',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('mapping', models.JSONField(default=dict)),
                        ('updated_at', models.DateTimeField(blank=True, editable=False)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('partnership', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='inspections.partnership')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.person')),
                    ],
                    options={
                        'verbose_name': 'historical import column mapping',
                        'verbose_name_plural': 'historical import column mappings',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='ImportColumnMapping',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('mapping', models.JSONField(default=dict)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('partnership', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='import_mapping', to='inspections.partnership')),
                        ('updated_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.person')),
                    ],
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
