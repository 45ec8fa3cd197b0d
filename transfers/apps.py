from django.apps import AppConfig


class TransfersConfig(AppConfig):
    """A plan in and out: spreadsheet and JSON import and export."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "transfers"
