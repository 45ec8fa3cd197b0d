from django.urls import path

from reports import views, views_committee

app_name = "reports"
urlpatterns = [
    path("plans/<int:plan_pk>/board/", views.board, name="board"),
    path("plans/<int:plan_pk>/board/<int:round_pk>/", views.board, name="board_round"),
    path("rounds/<int:round_pk>/committee-report/", views_committee.report, name="committee_report"),
    path("rounds/<int:round_pk>/committee-report/edit/", views_committee.report_edit, name="committee_report_edit"),
    path("rounds/<int:round_pk>/committee-report/draft.pdf", views_committee.report_pdf, name="committee_report_pdf"),
    path(
        "rounds/<int:round_pk>/committee-report/publish/",
        views_committee.report_publish,
        name="committee_report_publish",
    ),
    path("committee-reports/<int:pk>/report.pdf", views_committee.published_pdf, name="published_pdf"),
    path("committee-reports/<int:pk>/report.html", views_committee.published_html, name="published_html"),
    path(
        "rounds/<int:round_pk>/committee-report/draft.docx", views_committee.report_docx, name="committee_report_docx"
    ),
    path("committee-reports/<int:pk>/report.docx", views_committee.published_docx, name="published_docx"),
    path("committee-reports/style/", views_committee.report_style_edit, name="report_style"),
    path("rounds/<int:round_pk>/export.xlsx", views_committee.export_xlsx, name="round_xlsx"),
    path("rounds/<int:round_pk>/export.csv", views_committee.export_csv, name="round_csv"),
]
