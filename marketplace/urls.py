from django.urls import path

from marketplace import views

app_name = "marketplace"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("buy/<slug:slug>/", views.buy, name="buy"),
    path("library/", views.library, name="library"),
    path("receipts/<uuid:purchase_id>/", views.receipt, name="receipt"),
    path("receipts/<uuid:purchase_id>/refund", views.refund, name="refund"),
    path("sell/", views.sell, name="sell"),
    path("sell/<uuid:listing_id>/", views.listing_change, name="listing_change"),
    path("sell/connect", views.connect_onboard, name="connect_onboard"),
]
