from django.urls import path

from batches import api

urlpatterns = [
    path("batches", api.BatchListApi.as_view(), name="batches-list"),
    path("batches/<uuid:batch_id>", api.BatchDetailApi.as_view(), name="batches-detail"),
    path("batches/<uuid:batch_id>/cancel", api.BatchCancelApi.as_view(), name="batches-cancel"),
    path("productions/<uuid:production_id>", api.ProductionDetailApi.as_view(), name="productions-detail"),
    path(
        "productions/<uuid:production_id>/retry", api.ProductionRetryApi.as_view(), name="productions-retry"
    ),
    path(
        "productions/<uuid:production_id>/approve",
        api.ProductionApproveApi.as_view(),
        name="productions-approve",
    ),
    path(
        "productions/<uuid:production_id>/rerun", api.ProductionRerunApi.as_view(), name="productions-rerun"
    ),
    path("productions/<uuid:production_id>/edit", api.ProductionEditApi.as_view(), name="productions-edit"),
    path(
        "productions/<uuid:production_id>/cancel",
        api.ProductionCancelApi.as_view(),
        name="productions-cancel",
    ),
    path(
        "productions/<uuid:production_id>/faults",
        api.ProductionFaultsApi.as_view(),
        name="productions-faults",
    ),
]
