"""The project's URLs plus a view that fails, for the 500 page tests."""

from django.urls import path

from gamefactory.urls import handler404, handler500  # noqa: F401
from gamefactory.urls import urlpatterns as project_urlpatterns


def failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", failing_view), path("api/v1/boom", failing_view), *project_urlpatterns]
