from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("orders", views.OrderApi, basename="order")

urlpatterns = router.urls
