from django.urls import path

from batches import views

app_name = "batches"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("live/", views.dashboard_live, name="dashboard-live"),
    path("batches/<uuid:batch_id>/", views.batch_page, name="batch"),
    path("batches/<uuid:batch_id>/live/", views.batch_live, name="batch-live"),
    path("batches/<uuid:batch_id>/cancel/", views.batch_cancel, name="batch-cancel"),
    path("productions/<uuid:production_id>/", views.production_page, name="production"),
    path(
        "productions/<uuid:production_id>/<slug:action>/", views.production_action, name="production-action"
    ),
    path("artifacts/<int:artifact_id>/", views.artifact_view, name="artifact"),
]
