from rest_framework.routers import SimpleRouter

from stations.api import (
    ActivityViewSet,
    MembershipViewSet,
    ShiftViewSet,
    SignupViewSet,
    StationViewSet,
    VisitViewSet,
)

router = SimpleRouter()
router.register("stations", StationViewSet, basename="station")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("shifts", ShiftViewSet, basename="shift")
router.register("visits", VisitViewSet, basename="visit")
router.register("activities", ActivityViewSet, basename="activity")
router.register("signups", SignupViewSet, basename="signup")

urlpatterns = router.urls
