from rest_framework.routers import SimpleRouter

from divisions.api import RegionViewSet

router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")

urlpatterns = router.urls
