from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal.core import views as core_views
from portal.institutions import views as institutions_views

api_v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (?script): no inline <script>, CSP 'self'.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("", include("agreements.api.urls")),
    path("", include("agreements.registry.api.urls")),
    path("", include("agreements.followup.api.urls")),
    path("", include("portal.geography.api.urls")),
    path("", include("migrants.api.urls")),
    path("", include("cooperation.api.urls")),
    path("", include("portal.institutions.api.urls")),
    path("", include("portal.notifications.api.urls")),
]

urlpatterns = [
    path("", include(("portal.core.urls", "core"))),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.FaviconView.as_view(), name="favicon"),
    path("cuentas/", include("allauth.urls")),
    # The language selector also records a signed-in person's preferred language (their e-mail's).
    path("i18n/setlang/", institutions_views.language_set, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("", include("agreements.urls")),
    path("", include("agreements.followup.urls")),
    path("", include("portal.geography.urls")),
    path("", include("migrants.urls")),
    path("", include("cooperation.urls")),
    path("notificaciones/", include("portal.notifications.urls")),
    path("", include("portal.institutions.urls")),
]

if settings.PORTAL_BENCH_VIEWS:
    urlpatterns += [path("bench/", include("bench.urls"))]

handler404 = core_views.page_not_found
handler500 = core_views.server_error
handler403 = "portal.institutions.views.permission_denied"

admin.site.login = secure_admin_login(admin.site.login)
