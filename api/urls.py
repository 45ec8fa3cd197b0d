from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.generic import RedirectView
from rest_framework.routers import SimpleRouter

from api import docs, views

app_name = "api"

router = SimpleRouter(trailing_slash="")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("actions", views.ActionViewSet, basename="action")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("updates", views.UpdateViewSet, basename="update")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("reports", views.PublishedReportViewSet, basename="report")
router.register("facts", views.FactsViewSet, basename="facts")

urlpatterns = [
    path("", login_not_required(RedirectView.as_view(pattern_name="api:docs")), name="index"),
    path("schema", docs.schema_view, name="schema"),
    path("docs", docs.docs_page, name="docs"),
    *router.urls,
]
