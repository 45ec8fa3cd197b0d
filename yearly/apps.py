from django.apps import AppConfig


class YearlyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "yearly"
    verbose_name = "Yearly reports"
