"""The partnership's register, under /register/."""

from django.urls import path

from register import views

app_name = "register"
urlpatterns = [
    path("", views.register, name="index"),
    path("actions/<int:pk>/links/", views.links, name="links"),
    path("actions/<int:pk>/unlink/", views.unlink, name="unlink"),
]
