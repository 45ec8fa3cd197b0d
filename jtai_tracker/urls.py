from django.contrib import admin
from django.contrib.auth import views as auth_views
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
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_changed.html"),
        name="password_change_done",
    ),
    path("", include("inspections.urls")),
    path("", include("actions.urls")),
    path("", include("transfers.urls")),
    path("", include("reports.urls")),
    path("setup/", include("setup.urls")),
    path("support/", admin.site.urls),
]

handler404 = "jtai_tracker.errors.not_found"
handler500 = "jtai_tracker.errors.server_error"
handler403 = "jtai_tracker.errors.forbidden"
