import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from gamefactory.celery import app as celery_app
from tests.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory


def pytest_configure(config):
    from django.conf import settings

    # Tasks run in-process unless a test starts real workers (marker `worker`).
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    # Templates find static files in place: no collectstatic (and its manifest) before a test run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached pages live in the cache: start every test from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def auth_api(user):
    client = APIClient()
    client.force_authenticate(user)
    client.user = user
    return client


@pytest.fixture
def staff_api(staff):
    client = APIClient()
    client.force_authenticate(staff)
    client.user = staff
    return client
