from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("documents", views.DocumentApi, basename="document")
router.register("reports", views.ReportApi, basename="report")

urlpatterns = router.urls
