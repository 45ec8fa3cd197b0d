from django.urls import path

from yearly import views

app_name = "yearly"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("start/", views.report_start, name="start"),
    path("<int:pk>/", views.report_page, name="report"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/publish/", views.report_publish, name="publish"),
    path("<int:pk>/download/draft.pdf", views.report_pdf, name="draft_pdf"),
    path("versions/<int:pk>/download/report.pdf", views.published_pdf, name="published_pdf"),
    path("versions/<int:pk>/download/report.html", views.published_html, name="published_html"),
]
