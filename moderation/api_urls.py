from django.urls import path

from moderation import api

urlpatterns = [
    path("reports", api.ReportsApi.as_view(), name="reports"),
    path("admin/reports", api.AdminReportsApi.as_view(), name="admin-reports"),
    path("admin/reports/<uuid:report_id>", api.AdminReportDetailApi.as_view(), name="admin-reports-detail"),
    path("content/scan", api.ContentScanApi.as_view(), name="content-scan"),
    path("appeals", api.AppealsApi.as_view(), name="appeals"),
]
