from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import ObtainTokenView
from core.security import serve_upload
from core.views import healthz, healthz_deep

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"

admin.site.site_header = "连心 · 管理后台"
admin.site.site_title = "连心"
admin.site.index_title = "系统配置"

api_v1 = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include("divisions.api_urls")),
    path("", include("deputies.api_urls")),
    path("", include("stations.api_urls")),
    path("", include("opinions.api_urls")),
    path("", include("suggestions.api_urls")),
    path("", include("votes.api_urls")),
    path("", include("points.api_urls")),
    path("", include("reports.api_urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/deep", healthz_deep, name="healthz-deep"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view loads its set-up script from a URL: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("deputies/", include("deputies.urls")),
    path("imports/", include("imports.urls")),
    path("", include("stations.urls")),
    path("", include("opinions.urls")),
    path("", include("suggestions.urls")),
    path("", include("votes.urls")),
    path("", include("points.urls")),
    path("", include("reports.urls")),
    path("", include("privacy.urls")),
    # The admin site signs in through the portal's login (lockout and two-factor apply).
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    # Uploaded files, each checked against who may see it (core.security.register_media).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_upload, name="media"),
    path("", include("core.urls")),
]
