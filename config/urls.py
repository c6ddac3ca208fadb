from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from reports.public_views import SitemapView
from schools import views as school_views
from schools.audit_views import AuditLogView
from schools.help import HelpView

admin.site.site_header = "Администрирование портала управления качеством образования"
admin.site.site_title = "Портал УКО"
admin.site.index_title = "Данные и справочники"

urlpatterns = [
    path("", school_views.HomeView.as_view(), name="home"),
    # Browsers ask for /favicon.ico on their own (e.g. beside a PDF shown inline): answer, not 404.
    path("favicon.ico", school_views.FaviconView.as_view(), name="favicon"),
    path("dashboard/", school_views.DashboardView.as_view(), name="dashboard"),
    path("help/", HelpView.as_view(), name="help"),
    path("help/<slug:role>/", HelpView.as_view(), name="help-role"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/set/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_set.html", success_url="/accounts/password/set/done/"
        ),
        name="password-set",
    ),
    path(
        "accounts/password/set/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_set_done.html"),
        name="password-set-done",
    ),
    path("accounts/2fa/", include("schools.two_factor_urls")),
    path("schools/", include("schools.urls")),
    path("jobs/", include("schools.job_urls")),
    path("audit/", AuditLogView.as_view(), name="audit"),
    path("indicators/", include("indicators.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("roadmaps/", include("roadmaps.urls")),
    path("region/", include("roadmaps.region_urls")),
    path("reports/", include("reports.urls")),
    path("orders/", include("documents.urls")),
    path("quality/", include("reports.public_urls")),
    path("sitemap.xml", SitemapView.as_view(), name="sitemap"),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
