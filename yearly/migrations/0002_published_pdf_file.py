"""A published yearly report's PDF moves from the database (a BinaryField) to Django's storage API (``pdf_file``),
as ``reports.0005_published_pdf_file`` does for committee reports: byte for byte, and back again if reversed."""

from django.core.files.base import ContentFile
from django.db import migrations, models

import reports.models


def pdfs_to_storage(apps, schema_editor):
    published_model = apps.get_model("yearly", "PublishedYearlyReport")
    for published in published_model.objects.only("pk", "pdf").iterator(chunk_size=50):
        published.pdf_file.save("report.pdf", ContentFile(bytes(published.pdf)), save=False)
        published_model.objects.filter(pk=published.pk).update(pdf_file=published.pdf_file.name)


def pdfs_to_database(apps, schema_editor):
    published_model = apps.get_model("yearly", "PublishedYearlyReport")
    for published in published_model.objects.only("pk", "pdf_file").iterator(chunk_size=50):
        with published.pdf_file.open("rb") as stored:
            published_model.objects.filter(pk=published.pk).update(pdf=stored.read())


class Migration(migrations.Migration):
    dependencies = [("yearly", "0001_initial"), ("reports", "0005_published_pdf_file")]

    operations = [
        migrations.AddField(
            model_name="publishedyearlyreport",
            name="pdf_file",
            field=models.FileField(default="", upload_to=reports.models.published_pdf_path, verbose_name="PDF"),
            preserve_default=False,
        ),
        migrations.AlterField(model_name="publishedyearlyreport", name="pdf", field=models.BinaryField(null=True)),
        migrations.RunPython(pdfs_to_storage, pdfs_to_database, elidable=False),
        migrations.RemoveField(model_name="publishedyearlyreport", name="pdf"),
    ]
