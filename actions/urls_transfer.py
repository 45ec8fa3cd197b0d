"""A plan in and out: the spreadsheet import (upload, columns, preview) and the XLSX and JSON exports."""

from django.urls import path

from actions import views_transfer

app_name = "transfer"
urlpatterns = [
    path("plans/import/template.xlsx", views_transfer.import_template, name="import_template"),
    path("plans/<int:pk>/import/", views_transfer.import_upload, name="import"),
    path("plans/<int:pk>/import/columns/", views_transfer.import_columns, name="import_columns"),
    path("plans/<int:pk>/import/preview/", views_transfer.import_preview, name="import_preview"),
    path("plans/<int:pk>/import/cancel/", views_transfer.import_cancel, name="import_cancel"),
    path("plans/<int:pk>/export.xlsx", views_transfer.export_xlsx, name="export_xlsx"),
    path("plans/<int:pk>/export.json", views_transfer.export_json, name="export_json"),
]
