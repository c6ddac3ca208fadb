from django.urls import path

from . import editor_views, views

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
    *[
        path(f"cards/<int:pk>/{action}/", views.CardActionView.as_view(action=action), name=f"card-{action}")
        for action in views.CARD_ACTIONS
    ],
    path("cards/<int:pk>/recommend/<str:code>/", views.CardRecommendView.as_view(), name="card-recommend"),
    path("templates/", views.TemplateListView.as_view(), name="template-list"),
    path("templates/new/", editor_views.TemplateCreateView.as_view(), name="template-create"),
    path("templates/<slug:slug>/", views.TemplateDetailView.as_view(), name="template-detail"),
    path("templates/<slug:slug>/edit/", editor_views.TemplateEditView.as_view(), name="template-edit"),
    path(
        "templates/<slug:slug>/settings/",
        editor_views.TemplateSettingsView.as_view(),
        name="template-settings",
    ),
    path(
        "templates/<slug:slug>/sections/", editor_views.TemplateSectionView.as_view(), name="template-section"
    ),
    path(
        "templates/<slug:slug>/criteria/new/",
        editor_views.TemplateCriterionView.as_view(),
        name="template-criterion-create",
    ),
    path(
        "templates/<slug:slug>/criteria/<str:code>/edit/",
        editor_views.TemplateCriterionView.as_view(),
        name="template-criterion-edit",
    ),
    path(
        "templates/<slug:slug>/criteria/<str:code>/<str:action>/",
        editor_views.TemplateCriterionActionView.as_view(),
        name="template-criterion-action",
    ),
    path(
        "templates/<slug:slug>/preview/", editor_views.TemplatePreviewView.as_view(), name="template-preview"
    ),
    path(
        "templates/<slug:slug>/export.<str:fmt>", views.TemplateExportView.as_view(), name="template-export"
    ),
]
