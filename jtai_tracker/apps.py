from django.contrib.admin.apps import AdminConfig


class SupportAdminConfig(AdminConfig):
    """The Django admin, with :class:`jtai_tracker.admin.SupportAdminSite` as ``admin.site``."""

    default_site = "jtai_tracker.admin.SupportAdminSite"

    def ready(self):
        super().ready()
        from jtai_tracker import checks  # noqa: F401 - registers the checks of the address settings
