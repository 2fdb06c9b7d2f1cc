from rest_framework.routers import SimpleRouter

from suggestions.api import SuggestionViewSet

router = SimpleRouter()
router.register("suggestions", SuggestionViewSet, basename="suggestion")

urlpatterns = router.urls
