from django.urls import path

from inspections import views

app_name = "inspections"
urlpatterns = [
    path("inspections/<int:pk>/", views.inspection_detail, name="detail"),
]
