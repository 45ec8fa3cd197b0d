"""A plan in and out: the spreadsheet import (upload, columns, preview) and the XLSX and JSON exports."""

from django.urls import path

from transfers import views

app_name = "transfers"
urlpatterns = [
    path("plans/import/template.xlsx", views.import_template, name="import_template"),
    path("plans/<int:pk>/import/", views.import_upload, name="import"),
    path("plans/<int:pk>/import/columns/", views.import_columns, name="import_columns"),
    path("plans/<int:pk>/import/preview/", views.import_preview, name="import_preview"),
    path("plans/<int:pk>/import/cancel/", views.import_cancel, name="import_cancel"),
    path("plans/<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("plans/<int:pk>/export.json", views.export_json, name="export_json"),
]
