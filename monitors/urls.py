"""The outside monitor's pages, under /monitor/: the only pages a monitor reaches besides their account's
(``monitors.middleware.MonitorWallMiddleware``). Members of a partnership get 404 here: they have their own."""

from django.urls import path

from monitors import views

app_name = "monitors"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:plan_pk>/", views.plan, name="plan"),
    path("plans/<int:plan_pk>/rounds/<int:round_pk>/", views.board, name="board"),
    path("reports/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/report.html", views.report_html, name="report_html"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
