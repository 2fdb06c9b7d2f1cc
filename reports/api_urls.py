from django.urls import path
from rest_framework.routers import SimpleRouter

from reports.api import DashboardView, GeneratedReportViewSet, ShortlistView

router = SimpleRouter()
router.register("reports/annual", GeneratedReportViewSet, basename="annual-report")

urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="api-dashboard"),
    path("awards/shortlist/", ShortlistView.as_view(), name="api-award-shortlist"),
    *router.urls,
]
