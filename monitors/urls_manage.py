"""A partnership manager's pages about a plan's outside monitors (``monitors.manage``)."""

from django.urls import path

from monitors import views_manage

app_name = "monitor_access"
urlpatterns = [
    path("plans/<int:plan_pk>/outside-monitors/", views_manage.monitor_list, name="list"),
    path("plans/<int:plan_pk>/outside-monitors/invite/", views_manage.monitor_invite, name="invite"),
    path("outside-monitors/<int:pk>/remove/", views_manage.monitor_remove, name="remove"),
]
