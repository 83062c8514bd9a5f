from django.urls import path

from marketplace import api

urlpatterns = [
    path("marketplace", api.MarketplaceApi.as_view(), name="marketplace-list"),
    path("marketplace/sales", api.SalesApi.as_view(), name="marketplace-sales"),
    path("marketplace/purchases", api.PurchasesApi.as_view(), name="marketplace-purchases"),
    path(
        "marketplace/purchases/<uuid:purchase_id>/refund", api.RefundApi.as_view(), name="marketplace-refund"
    ),
    path("marketplace/credits", api.CreditsApi.as_view(), name="marketplace-credits"),
    path("marketplace/wallet", api.WalletApi.as_view(), name="marketplace-wallet"),
    path("marketplace/connect/onboard", api.ConnectOnboardApi.as_view(), name="marketplace-connect-onboard"),
    path("marketplace/stripe/webhook", api.StripeWebhookApi.as_view(), name="marketplace-stripe-webhook"),
    path("marketplace/<uuid:ident>", api.ListingDetailApi.as_view(), name="marketplace-detail"),
    path("marketplace/<uuid:ident>/purchase", api.PurchaseApi.as_view(), name="marketplace-purchase"),
]
