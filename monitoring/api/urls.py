from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("templates", views.CardTemplateApi, basename="template")
router.register("campaigns", views.CampaignApi, basename="campaign")
router.register("cards", views.ExpertCardApi, basename="card")

urlpatterns = router.urls
