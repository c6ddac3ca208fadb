from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("directions", views.DirectionApi, basename="direction")
router.register("roadmaps", views.RoadmapApi, basename="roadmap")
router.register("roadmap-items", views.RoadmapItemApi, basename="roadmap-item")
router.register("recommendations", views.RecommendationApi, basename="recommendation")
router.register("decisions", views.DecisionApi, basename="decision")

urlpatterns = router.urls
