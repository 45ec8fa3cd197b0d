"""Support staff's screens, under /onboarding/."""

from django.urls import path

from onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("", views.index, name="index"),
    path("partnerships/new/", views.partnership_new, name="partnership_new"),
    path("partnerships/<int:pk>/", views.partnership, name="partnership"),
    path("managers/<int:pk>/invite/", views.manager_invite, name="manager_invite"),
]
