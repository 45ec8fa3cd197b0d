from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo partnerships that `make demo` loads and the tests reuse."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
