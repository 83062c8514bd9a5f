from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Marketplace"

    def ready(self) -> None:
        from games import access
        from marketplace import selectors

        # Buyers with a completed, unrefunded purchase may play a paid game (games/access.py).
        access.entitlement_register(selectors.purchase_entitles)
