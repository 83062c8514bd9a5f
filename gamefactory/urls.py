from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from gamefactory import health
from gamefactory.api.errors import json_error_view
from games import views as games_views

admin.site.site_header = "GameFactory staff"
admin.site.site_title = "GameFactory staff"

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("games.api_urls")),
    path("", include("analytics.api_urls")),
    path("", include("batches.api_urls")),
    path("", include("marketplace.api_urls")),
    path("", include("moderation.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", games_views.catalogue, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("accounts/", include("accounts.urls")),
    path("", include("games.urls")),
    path("analytics/", include("analytics.urls")),
    path("factory/", include("batches.urls")),
    path("marketplace/", include("marketplace.urls")),
    path("moderation/", include("moderation.urls")),
    # allauth after ours: it adds only the social (OAuth2) routes, ours answer the rest.
    path("accounts/", include("allauth.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return json_error_view(404, "not_found", "Nothing here.")(request)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return json_error_view(500, "server_error", "Something went wrong on our side.")(request)
    from django.views.defaults import server_error

    return server_error(request)
