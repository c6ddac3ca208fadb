from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="index"),
    path("my/", views.MyCardsView.as_view(), name="my-cards"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign-create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="campaign-update"),
    path(
        "campaigns/<int:pk>/participants/",
        views.CampaignParticipantsView.as_view(),
        name="campaign-participants",
    ),
    path("campaigns/<int:pk>/refresh/", views.CampaignRefreshView.as_view(), name="campaign-refresh"),
    path("campaigns/<int:pk>/results/", views.CampaignResultsView.as_view(), name="campaign-results"),
    path("campaigns/<int:pk>/results.xlsx", views.CampaignExportView.as_view(), name="campaign-export"),
    path("cards/<int:pk>/", views.CardDetailView.as_view(), name="card-detail"),
    path("cards/<int:pk>/save/", views.CardSaveView.as_view(), name="card-save"),
    path("cards/<int:pk>/submit/", views.CardActionView.as_view(action="submit"), name="card-submit"),
    path("cards/<int:pk>/verdicts/", views.CardActionView.as_view(action="verdicts"), name="card-verdicts"),
    path(
        "cards/<int:pk>/confirm-agreeing/",
        views.CardActionView.as_view(action="confirm-agreeing"),
        name="card-confirm-agreeing",
    ),
    path("cards/<int:pk>/return/", views.CardActionView.as_view(action="return"), name="card-return"),
    path("cards/<int:pk>/reopen/", views.CardActionView.as_view(action="reopen"), name="card-reopen"),
    path("cards/<int:pk>/verify/", views.CardActionView.as_view(action="verify"), name="card-verify"),
    path("cards/<int:pk>/evaluate/", views.CardActionView.as_view(action="evaluate"), name="card-evaluate"),
    path("cards/<int:pk>/recommend/<str:code>/", views.CardRecommendView.as_view(), name="card-recommend"),
    path("templates/", views.TemplateListView.as_view(), name="template-list"),
    path("templates/<slug:slug>/", views.TemplateDetailView.as_view(), name="template-detail"),
    path(
        "templates/<slug:slug>/export.<str:fmt>", views.TemplateExportView.as_view(), name="template-export"
    ),
]
