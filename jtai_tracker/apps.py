from django.contrib.admin.apps import AdminConfig
from django.db.backends.signals import connection_created


class SupportAdminConfig(AdminConfig):
    """The Django admin, with :class:`jtai_tracker.admin.SupportAdminSite` as ``admin.site``."""

    default_site = "jtai_tracker.admin.SupportAdminSite"

    def ready(self):
        super().ready()
        from jtai_tracker import checks  # noqa: F401 - registers the checks of the address settings
        from jtai_tracker.database import use_sqlite_variable_limit

        connection_created.connect(use_sqlite_variable_limit, dispatch_uid="use_sqlite_variable_limit")
