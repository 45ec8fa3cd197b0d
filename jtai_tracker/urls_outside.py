"""The service's URLs without the support site: the URLconf of a request from a client outside
``SUPPORT_ADMIN_ALLOWED_NETWORKS`` (``jtai_tracker.middleware.SupportAdminAllowListMiddleware``)."""

from django.contrib import admin

from jtai_tracker import urls
from jtai_tracker.urls import handler403, handler404, handler500  # noqa: F401 - the same error pages

urlpatterns = [pattern for pattern in urls.urlpatterns if getattr(pattern, "namespace", None) != admin.site.name]
