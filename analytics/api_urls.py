from django.urls import path

from analytics import api

urlpatterns = [
    path("events", api.events_ingest_view, name="analytics-events"),
    path("metrics", api.MetricsApi.as_view(), name="analytics-metrics"),
]
