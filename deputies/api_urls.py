from rest_framework.routers import SimpleRouter

from deputies.api import DeputyViewSet

router = SimpleRouter()
router.register("deputies", DeputyViewSet, basename="deputy")

urlpatterns = router.urls
