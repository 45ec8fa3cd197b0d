from django.apps import AppConfig


class SetupConfig(AppConfig):
    """The partnership manager's set-up screens: they present forms and call the domain apps' services."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "setup"
