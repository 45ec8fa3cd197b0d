"""What the plan import remembers between imports."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from inspections.models import Partnership
from inspections.tenancy import TenantQuerySet
from people.models import Person


class ImportColumnMapping(models.Model):
    """The spreadsheet columns a partnership's plan import used last, so the next import starts from them."""

    partnership_lookup = "partnership"

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="import_mapping")
    #: field key -> normalised header name
    mapping = models.JSONField(default=dict)
    updated_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Import columns for {self.partnership}"
