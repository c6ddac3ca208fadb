from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.OrderListView.as_view(), name="index"),
    path("new/", views.OrderCreateView.as_view(), name="order-create"),
    path("<int:pk>/", views.OrderDetailView.as_view(), name="order-detail"),
    path("<int:pk>/edit/", views.OrderEditView.as_view(), name="order-edit"),
    path("<int:pk>/sign/", views.OrderSignView.as_view(), name="order-sign"),
    path("<int:pk>/refresh/", views.OrderRefreshView.as_view(), name="order-refresh"),
    path("<int:pk>/amend/", views.OrderFollowUpView.as_view(action="correction"), name="order-amend"),
    path("<int:pk>/withdraw/", views.OrderFollowUpView.as_view(action="withdrawal"), name="order-withdraw"),
    path("<int:pk>/file.<str:fmt>", views.OrderFileView.as_view(), name="order-file"),
    path("calendar/", views.CalendarEventListView.as_view(), name="calendar-events"),
    path("templates/", views.TemplateListView.as_view(), name="templates"),
    path("templates/<int:pk>/download/", views.TemplateDownloadView.as_view(), name="template-download"),
]
