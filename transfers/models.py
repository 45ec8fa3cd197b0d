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


class ImportStash(models.Model):
    """A file an import keeps between its steps (the rows read from the upload), in ``STORAGES["imports"]``.

    The row says whose it is and since when, so ``manage.py clean_import_stashes`` can delete what an abandoned
    import left, and any file with no row (an orphan) too. Written and deleted only by ``transfers.services``.
    """

    partnership_lookup = "partnership"

    #: The file's name in the storage: a random token only the owner's session knows.
    name = models.CharField(max_length=100, unique=True)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Import file {self.name} of {self.owner}"
