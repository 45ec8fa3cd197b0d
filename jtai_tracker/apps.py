from django.contrib.admin.apps import AdminConfig


class SupportAdminConfig(AdminConfig):
    """The Django admin, with :class:`jtai_tracker.admin.SupportAdminSite` as ``admin.site``."""

    default_site = "jtai_tracker.admin.SupportAdminSite"
