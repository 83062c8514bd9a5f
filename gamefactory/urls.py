from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from gamefactory import health, metrics, views
from games import views as games_views

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("games.api_urls")),
    path("", include("analytics.api_urls")),
    path("", include("batches.api_urls")),
    path("", include("marketplace.api_urls")),
    path("", include("moderation.api_urls")),
    path("", include("multiplayer.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI and Redoc are served from drf-spectacular-sidecar's static files: no CDN, works offline.
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

urlpatterns = [
    path("", games_views.catalogue, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("status/", health.status_page, name="status"),
    path("metrics", metrics.metrics_view, name="metrics"),
    # Browsers ask for /favicon.ico whatever the page says (the admin's pages say nothing).
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("accounts/", include("accounts.urls")),
    path("", include("games.urls")),
    path("analytics/", include("analytics.urls")),
    path("factory/", include("batches.urls")),
    path("marketplace/", include("marketplace.urls")),
    path("moderation/", include("moderation.urls")),
    path("", include("multiplayer.urls")),
    # allauth after ours: it adds only the social (OAuth2) routes, ours answer the rest.
    path("accounts/", include("allauth.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)


handler404 = views.page_not_found
handler500 = views.server_error
