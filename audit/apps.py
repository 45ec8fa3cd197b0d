from django.apps import AppConfig


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"
    verbose_name = "Security audit log"

    def ready(self):
        from audit import receivers

        receivers.connect()
