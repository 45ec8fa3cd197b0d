"""The security audit log, for a partnership's managers, under /audit/."""

from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("download/", views.download, name="download"),
]
