from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView

from inspections import views as inspection_views

urlpatterns = [
    path("", inspection_views.home, name="home"),
    path("health", inspection_views.health, name="health"),
    path(
        "accessibility/",
        login_not_required(TemplateView.as_view(template_name="accessibility.html")),
        name="accessibility",
    ),
    path("accounts/", include("accounts.urls")),
    path("", include("inspections.urls")),
    path("", include("actions.urls")),
    path("", include("transfers.urls")),
    path("", include("reports.urls")),
    path("yearly-reports/", include("yearly.urls")),
    path("setup/", include("setup.urls")),
    path("onboarding/", include("onboarding.urls")),
    path("audit/", include("audit.urls")),
    path("", include("monitors.urls_manage")),
    path("monitor/", include("monitors.urls")),
    path("register/", include("register.urls")),
    path("api/", include("api.urls")),
    path("api-tokens/", include("api.urls_tokens")),
    path("jobs/", include("jobs.urls")),
    path("support/", admin.site.urls),
]

handler404 = "jtai_tracker.errors.not_found"
handler500 = "jtai_tracker.errors.server_error"
handler403 = "jtai_tracker.errors.forbidden"
