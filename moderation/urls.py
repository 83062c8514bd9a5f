from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("report", views.report, name="report"),
    path("reports/", views.my_reports, name="reports"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<uuid:decision_id>", views.appeal, name="appeal"),
]
