from rest_framework.routers import SimpleRouter

from votes.api import ProjectVoteViewSet

router = SimpleRouter()
router.register("votes", ProjectVoteViewSet, basename="vote")

urlpatterns = router.urls
