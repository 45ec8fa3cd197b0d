"""Django admin for support staff. Partnership users never need it."""

from django.apps import apps
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

SUPPORT_APPS = ("inspections", "people", "actions", "reports", "transfers")


def register_all() -> None:
    """Every model of our apps, with its change history (not the history tables themselves)."""
    for app_label in SUPPORT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.model_name.startswith("historical") or admin.site.is_registered(model):
                continue
            # Write-once records (published reports, reminder logs) keep no history of their own.
            admin.site.register(model, SimpleHistoryAdmin if hasattr(model, "history") else admin.ModelAdmin)


register_all()
