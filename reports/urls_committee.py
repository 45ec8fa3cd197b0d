from django.urls import path

from reports import views_committee as views

app_name = "committee"
urlpatterns = [
    path("rounds/<int:round_pk>/committee-report/", views.report, name="report"),
    path("rounds/<int:round_pk>/committee-report/edit/", views.report_edit, name="edit"),
    path("rounds/<int:round_pk>/committee-report/draft.pdf", views.report_pdf, name="pdf"),
    path("rounds/<int:round_pk>/committee-report/publish/", views.report_publish, name="publish"),
    path("committee-reports/<int:pk>/report.pdf", views.published_pdf, name="published_pdf"),
    path("committee-reports/<int:pk>/report.html", views.published_html, name="published_html"),
    path("rounds/<int:round_pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("rounds/<int:round_pk>/export.csv", views.export_csv, name="export_csv"),
]
