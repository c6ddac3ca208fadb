from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("results", views.ResultApi, basename="result")
router.register("indicators", views.IndicatorApi, basename="indicator")
router.register("values", views.ValueApi, basename="value")
router.register("statuses", views.StatusApi, basename="status")
router.register("objectivity", views.ObjectivityApi, basename="objectivity")

urlpatterns = router.urls
