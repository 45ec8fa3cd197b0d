from django.urls import path

from actions import views

app_name = "actions"
urlpatterns = [
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("my-actions/", views.my_actions, name="mine"),
    path("actions/<int:pk>/", views.action_detail, name="detail"),
    path("actions/<int:pk>/update/", views.update_edit, name="update"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
