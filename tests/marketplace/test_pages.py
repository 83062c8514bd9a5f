"""The pages: the price on the game page and the catalogue card, the buy confirmation that charges
once, the library and receipts, the buyer's refund, the seller dashboard, the browse page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from games.models import Game
from marketplace import ledger, services
from marketplace.models import Purchase
from tests.factories import StaffFactory, UserFactory
from tests.marketplace.conftest import make_game

pytestmark = pytest.mark.django_db


def test_the_game_page_shows_the_price_and_a_buy_button(client, playable_game, seller, buyer):
    listing = services.listing_create(user=seller, game=playable_game, price_cents=299)
    client.force_login(buyer)
    html = client.get(reverse("games:detail", args=[listing.game.slug])).content.decode()
    assert 'data-offer-price="299"' in html and "€2.99" in html
    assert reverse("marketplace:buy", args=[listing.game.slug]) in html
    assert 'data-play-denied="entitlement_required"' in html


def test_the_catalogue_card_shows_the_price_with_one_query_for_the_page(client, seller, listing):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(5):
        services.listing_create(user=seller, game=make_game(seller, title=f"Paid {n}"), price_cents=100 + n)
    make_game(seller, title="Free to play")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    html = response.content.decode()
    assert sum("marketplace_listing" in q["sql"] for q in queries.captured_queries) == 1
    assert html.count("price-tag") == 6 and "€2.99" in html and "€1.04" in html


def test_buying_on_the_page_charges_once_however_often_the_form_is_sent(
    client, playable_game, seller, buyer, fund
):
    listing = services.listing_create(user=seller, game=playable_game, price_cents=299)
    fund(buyer, 1000)
    client.force_login(buyer)
    page = client.get(reverse("marketplace:buy", args=[listing.game.slug]))
    assert page.status_code == 200 and b"data-once" in page.content
    key = page.context["idempotency_key"]
    form = {"idempotency_key": str(key), "price_cents": "299"}
    first = client.post(reverse("marketplace:buy", args=[listing.game.slug]), form)
    second = client.post(reverse("marketplace:buy", args=[listing.game.slug]), form)  # double submit
    assert first.status_code == 302 and second.status_code == 302
    assert Purchase.objects.filter(buyer=buyer).count() == 1
    assert ledger.wallet_balance(user=buyer) == 701
    html = client.get(reverse("games:detail", args=[listing.game.slug])).content.decode()
    assert "data-owned" in html and "<iframe" in html  # the buyer plays it now


def test_not_enough_credit_says_so_and_offers_no_button(client, listing, buyer):
    client.force_login(buyer)
    html = client.get(reverse("marketplace:buy", args=[listing.game.slug])).content.decode()
    assert "data-insufficient" in html and "confirm-buy" not in html


def test_library_receipt_and_the_buyers_refund(client, listing, buyer, fund):
    fund(buyer, 1000)
    purchase = services.purchase_create(buyer=buyer, listing=listing)
    client.force_login(buyer)
    assert listing.game.title in client.get(reverse("marketplace:library")).content.decode()
    receipt = client.get(reverse("marketplace:receipt", args=[purchase.pk])).content.decode()
    assert "€2.99" in receipt and 'data-action="refund"' in receipt
    client.post(reverse("marketplace:refund", args=[purchase.pk]))
    purchase.refresh_from_db()
    assert purchase.status == Purchase.Status.REFUNDED
    client.force_login(UserFactory())
    assert client.get(reverse("marketplace:receipt", args=[purchase.pk])).status_code == 404


def test_the_seller_lists_a_game_and_sees_the_sale_and_their_70_percent(client, seller, buyer, fund):
    game = make_game(seller, title="Newcomer Game")
    client.force_login(seller)
    r = client.post(reverse("marketplace:sell"), {"game": str(game.pk), "price": "2.99", "blurb": ""})
    assert r.status_code == 302, r.content
    fund(buyer)
    services.purchase_create(buyer=buyer, listing=game.listing)
    html = client.get(reverse("marketplace:sell")).content.decode()
    assert 'id="sum-sales">1<' in html and 'id="sum-gross">€2.99<' in html and 'id="sum-net">€2.09<' in html
    assert "gf-chart-series" in html and "chart-sales" in html
    bad = client.post(reverse("marketplace:sell"), {"game": str(make_game(seller).pk), "price": "-1"})
    assert bad.status_code == 400 and "Send the amount" in bad.content.decode()


def test_browse_filters_with_htmx(client, seller):
    services.listing_create(
        user=seller,
        game=make_game(seller, title="Cheap Puzzle", category=Game.Category.PUZZLE),
        price_cents=99,
    )
    services.listing_create(user=seller, game=make_game(seller, title="Free Arcade"), price_cents=0)
    assert "Cheap Puzzle" in client.get(reverse("marketplace:browse")).content.decode()
    partial = client.get(reverse("marketplace:browse") + "?price=free", HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "Free Arcade" in html and "Cheap Puzzle" not in html and "<html" not in html
    assert partial["HX-Push-Url"].endswith("?price=free")


def test_the_admin_index_says_whether_the_ledger_balances(client, buyer, fund):
    fund(buyer, 100)
    client.force_login(StaffFactory())
    html = client.get(reverse("admin:index")).content.decode()
    assert 'data-ledger-ok="1"' in html and "The ledger balances" in html


def test_the_admin_refund_action_calls_the_service(client, listing, buyer, fund):
    fund(buyer)
    purchase = services.purchase_create(buyer=buyer, listing=listing)
    client.force_login(StaffFactory())
    r = client.post(
        reverse("admin:marketplace_purchase_changelist"),
        {"action": "refund_in_full", "_selected_action": [str(purchase.pk)]},
    )
    assert r.status_code == 302
    purchase.refresh_from_db()
    assert purchase.status == Purchase.Status.REFUNDED and ledger.ledger_check().ok


def test_staff_grant_credit_in_the_admin(client, buyer):
    client.force_login(StaffFactory())
    r = client.post(
        reverse("admin:marketplace_creditgrant_add"),
        {"user": str(buyer.pk), "amount": "12.50", "reason": "goodwill"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert ledger.wallet_balance(user=buyer) == 1250
    r = client.post(
        reverse("admin:marketplace_creditgrant_add"), {"user": str(buyer.pk), "amount": "-3", "reason": "x"}
    )
    assert r.status_code == 200 and ledger.wallet_balance(user=buyer) == 1250


def test_payout_reports_per_seller_per_period_as_csv(client, listing, seller, buyer, fund):
    import datetime as dt

    from django.utils import timezone

    from marketplace.models import PayoutReport

    fund(buyer)
    purchase = services.purchase_create(buyer=buyer, listing=listing)
    services.refund_create(purchase=purchase, user=StaffFactory(), amount_cents=99)
    [report] = services.payout_reports_build(period_start=timezone.now().date())
    assert (report.sales_count, report.gross_cents, report.refunds_cents) == (1, 299, 99)
    assert report.commission_cents == 90 - 30 and report.net_cents == 299 - 99 - 60
    staff = StaffFactory()
    client.force_login(staff)
    csv_response = client.post(
        reverse("admin:marketplace_payoutreport_changelist"),
        {"action": "export_csv", "_selected_action": [str(report.pk)]},
    )
    body = csv_response.content.decode()
    assert csv_response["Content-Type"].startswith("text/csv") and "seller,seller_id,period_start" in body
    assert f"{seller.username},{seller.pk}" in body and ",1.40," in body
    services.payout_mark_paid(report=report, user=staff)
    assert ledger.ledger_check().ok
    # the beat task builds the period that just ended (nothing there: no sales last week)
    from marketplace.tasks import payout_reports_build_task

    assert payout_reports_build_task() == 0
    assert PayoutReport.objects.count() == 1
    assert report.period_end - report.period_start == dt.timedelta(days=6)
