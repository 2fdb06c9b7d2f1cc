from django.urls import path
from rest_framework.routers import SimpleRouter

from points.api import DeputyPointsView, PointRuleViewSet, StandingsView

router = SimpleRouter()
router.register("points/rules", PointRuleViewSet, basename="point-rule")

urlpatterns = [
    path("points/standings/", StandingsView.as_view(), name="point-standings"),
    path("points/deputies/<int:pk>/", DeputyPointsView.as_view(), name="point-deputy"),
    *router.urls,
]
