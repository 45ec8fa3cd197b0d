from django.urls import path

from inspections import views

app_name = "inspections"
urlpatterns = [
    path("inspections/<int:pk>/", views.inspection_detail, name="detail"),
    path("findings/<int:pk>/sign-off/", views.finding_sign_off, name="finding_sign_off"),
    path("findings/<int:pk>/reopen/", views.finding_reopen, name="finding_reopen"),
]
