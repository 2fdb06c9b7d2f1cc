from rest_framework.routers import SimpleRouter

from opinions.api import OpinionViewSet, PublicOpinionViewSet

router = SimpleRouter()
router.register("public/opinions", PublicOpinionViewSet, basename="public-opinion")
router.register("opinions", OpinionViewSet, basename="opinion")

urlpatterns = router.urls
