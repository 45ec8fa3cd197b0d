"""Support staff's screens, under /onboarding/."""

from django.urls import path

from onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("", views.index, name="index"),
    path("partnerships/new/", views.partnership_new, name="partnership_new"),
    path("partnerships/<int:pk>/", views.partnership, name="partnership"),
    path("managers/<int:pk>/invite/", views.manager_invite, name="manager_invite"),
    path("partnerships/<int:pk>/sign-on/new/", views.sign_on, name="sign_on_new"),
    path("partnerships/<int:pk>/sign-on/<int:provider_pk>/", views.sign_on, name="sign_on"),
    path("partnerships/<int:pk>/sign-on/<int:provider_pk>/remove/", views.sign_on_delete, name="sign_on_delete"),
    path("partnerships/<int:pk>/passwords/", views.passwords, name="passwords"),
]
