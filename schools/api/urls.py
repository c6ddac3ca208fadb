from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("municipalities", views.MunicipalityApi, basename="municipality")
router.register("schools", views.SchoolApi, basename="school")
router.register("contexts", views.SchoolContextApi, basename="context")

urlpatterns = router.urls
