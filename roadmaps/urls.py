from django.urls import path

from . import effectiveness_views, objectivity_views, views

app_name = "roadmaps"

urlpatterns = [
    path("", views.RoadmapIndexView.as_view(), name="index"),
    path("my-school/", views.MySchoolView.as_view(), name="my-school"),
    path("new/", views.RoadmapCreateView.as_view(), name="roadmap-create"),
    path("<int:pk>/", views.RoadmapDetailView.as_view(), name="roadmap-detail"),
    path("<int:pk>/edit/", views.RoadmapUpdateView.as_view(), name="roadmap-update"),
    path("<int:pk>/export.xlsx", views.RoadmapExportView.as_view(), name="roadmap-export"),
    path("<int:pk>/import/", views.RoadmapImportView.as_view(), name="roadmap-import"),
    path("<int:pk>/items/new/", views.RoadmapItemEditView.as_view(), name="item-create"),
    path("items/<int:item_pk>/edit/", views.RoadmapItemEditView.as_view(), name="item-update"),
    path("items/<int:item_pk>/archive/", views.RoadmapItemArchiveView.as_view(), name="item-archive"),
    path("items/<int:item_pk>/progress/", views.ItemProgressView.as_view(), name="item-progress"),
    path("schools/<str:code>/routes/", views.SchoolRoutesCreateView.as_view(), name="school-routes-create"),
    path("directions/", views.DirectionListView.as_view(), name="directions"),
    path("directions/<int:pk>/edit/", views.DirectionUpdateView.as_view(), name="direction-update"),
    path("duties/<int:pk>/edit/", views.StageDutyUpdateView.as_view(), name="duty-update"),
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendations"),
    path("recommendations/new/", views.RecommendationEditView.as_view(), name="recommendation-create"),
    path("recommendations/<int:pk>/", views.RecommendationDetailView.as_view(), name="recommendation-detail"),
    path(
        "recommendations/<int:pk>/edit/", views.RecommendationEditView.as_view(), name="recommendation-update"
    ),
    path("decisions/", views.DecisionListView.as_view(), name="decisions"),
    path("decisions/new/", views.DecisionEditView.as_view(), name="decision-create"),
    path("decisions/<int:pk>/", views.DecisionDetailView.as_view(), name="decision-detail"),
    path("decisions/<int:pk>/edit/", views.DecisionEditView.as_view(), name="decision-update"),
    path(
        "objectivity/<str:code>/<int:year>/recommendation/",
        objectivity_views.ObjectivityRecommendationCreateView.as_view(),
        name="objectivity-recommendation",
    ),
    path(
        "objectivity/<str:code>/<int:year>/item/",
        objectivity_views.ObjectivityItemCreateView.as_view(),
        name="objectivity-item",
    ),
    path("effectiveness/", effectiveness_views.EffectivenessView.as_view(), name="effectiveness"),
    path(
        "effectiveness/export.xlsx",
        effectiveness_views.EffectivenessExportView.as_view(),
        name="effectiveness-export",
    ),
]
