from django.urls import path

from actions import views

app_name = "actions"
urlpatterns = [
    path("plans/<int:pk>/", views.plan, name="plan"),
]
