from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("plans/<int:plan_pk>/board/", views.board, name="board"),
    path("plans/<int:plan_pk>/board/<int:round_pk>/", views.board, name="board_round"),
]
