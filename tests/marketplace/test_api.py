"""The seed's marketplace API: browse, list, buy with an idempotency key, refund, credit, sales."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from games.models import Game, Play
from marketplace import ledger
from marketplace.models import IdempotencyKey, LedgerEntry, Listing, Purchase
from tests.factories import StaffFactory, UserFactory
from tests.marketplace.conftest import assert_error, make_game

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_a_mobile_client_lists_buys_with_a_key_plays_and_gets_refunded_and_the_ledger_balances(seller, buyer):
    # given: a staff member credits the buyer's wallet
    staff = client_for(StaffFactory())
    r = staff.post(
        "/api/v1/marketplace/credits",
        {"user": buyer.username, "amount": "5.00", "reason": "demo"},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["balance_cents"] == 500
    game = make_game(seller, title="Pocket Pong")
    # when: the seller lists it for 2.99
    r = client_for(seller).post("/api/v1/marketplace", {"game": str(game.pk), "price": "2.99"}, format="json")
    assert r.status_code == 201, r.content
    listing_id = r.json()["id"]
    assert r.json()["price"] == "2.99" and r.json()["currency"] == "EUR"
    # and the buyer buys it with an idempotency key, twice (a retry after a lost answer)
    mobile = client_for(buyer)
    key = str(uuid.uuid4())
    first = mobile.post(
        f"/api/v1/marketplace/{listing_id}/purchase", {}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    again = mobile.post(
        f"/api/v1/marketplace/{listing_id}/purchase", {}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    # then: one charge, the same answer twice
    assert first.status_code == 201, first.content
    assert (
        again.status_code == 201 and again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    )
    assert Purchase.objects.filter(buyer=buyer).count() == 1
    assert ledger.wallet_balance(user=buyer) == 201
    # the game is in the library and plays
    library = mobile.get("/api/v1/marketplace/purchases").json()
    assert [p["game"]["id"] for p in library["results"]] == [str(game.pk)]
    # the seller sees the sale and 70 % of it
    sales = client_for(seller).get("/api/v1/marketplace/sales").json()
    assert sales["totals"]["sales"] == 1 and sales["totals"]["gross_cents"] == 299
    assert sales["totals"]["net_cents"] == 209 and sales["balance_cents"] == 209
    # staff refund it; the ledger still balances
    purchase_id = first.json()["id"]
    r = staff.post(f"/api/v1/marketplace/purchases/{purchase_id}/refund", {"reason": "test"}, format="json")
    assert r.status_code == 201, r.content
    assert ledger.wallet_balance(user=buyer) == 500
    assert ledger.ledger_check().ok


def test_the_same_key_with_other_parameters_is_409_and_writes_nothing(listing, buyer, fund):
    fund(buyer)
    mobile = client_for(buyer)
    key = "k-1"
    assert (
        mobile.post(
            f"/api/v1/marketplace/{listing.pk}/purchase",
            {"price": "2.99"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        ).status_code
        == 201
    )
    before = LedgerEntry.objects.count()
    r = mobile.post(
        f"/api/v1/marketplace/{listing.pk}/purchase",
        {"price_cents": 299},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert_error(r, 409, field="Idempotency-Key", code="idempotency_key_reused")
    assert LedgerEntry.objects.count() == before


def test_a_double_submit_with_another_key_is_409_already_owned(listing, buyer, fund):
    fund(buyer)
    mobile = client_for(buyer)
    assert (
        mobile.post(
            f"/api/v1/marketplace/{listing.pk}/purchase", {}, format="json", HTTP_IDEMPOTENCY_KEY="a"
        ).status_code
        == 201
    )
    r = mobile.post(f"/api/v1/marketplace/{listing.pk}/purchase", {}, format="json", HTTP_IDEMPOTENCY_KEY="b")
    assert_error(r, 409, field="listing", code="already_owned")
    # the refusal is the key's stored answer too
    r = mobile.post(f"/api/v1/marketplace/{listing.pk}/purchase", {}, format="json", HTTP_IDEMPOTENCY_KEY="b")
    assert r.status_code == 409 and r["Idempotent-Replayed"] == "true"
    assert Purchase.objects.count() == 1


def test_keys_are_pruned_after_the_ttl(listing, buyer, fund, settings):
    import datetime as dt

    from django.utils import timezone

    from marketplace.tasks import idempotency_keys_prune_task

    fund(buyer)
    client_for(buyer).post(
        f"/api/v1/marketplace/{listing.pk}/purchase", {}, format="json", HTTP_IDEMPOTENCY_KEY="old"
    )
    assert idempotency_keys_prune_task() == 0  # kept for 24 h at least
    IdempotencyKey.objects.update(
        created_at=timezone.now() - dt.timedelta(hours=settings.MARKETPLACE_IDEMPOTENCY_TTL_HOURS, minutes=1)
    )
    assert idempotency_keys_prune_task() == 1
    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"price": "-1"}, "price", "invalid_amount"),
        ({"price_cents": -100}, "price_cents", "negative_amount"),
        ({"price": 2.99}, "price", "invalid_amount"),
        ({"price": "2.999"}, "price", "invalid_amount"),
        ({"price": "1e3"}, "price", "invalid_amount"),
        ({"price": "NaN"}, "price", "invalid_amount"),
        ({"price_cents": 10**15}, "price_cents", "amount_too_large"),
        ({"price": "2.99", "currency": "USD"}, "currency", "currency_mismatch"),
        ({"price": "2.99", "price_cents": 299}, "price", "ambiguous_amount"),
        ({}, "price", "required"),
    ],
)
def test_bad_listing_input_is_a_4xx_on_the_field_and_writes_nothing(seller, game, body, field, code):
    r = client_for(seller).post("/api/v1/marketplace", {"game": str(game.pk), **body}, format="json")
    assert_error(r, 400, field=field, code=code)
    assert not Listing.objects.exists()


def test_listing_someone_elses_game_is_403(game):
    r = client_for(UserFactory()).post(
        "/api/v1/marketplace", {"game": str(game.pk), "price": "1.00"}, format="json"
    )
    assert_error(r, 403, field="game")


def test_update_and_remove_a_listing(listing, seller):
    c = client_for(seller)
    r = c.put(f"/api/v1/marketplace/{listing.pk}", {"price": "1.49"}, format="json")
    assert r.status_code == 200 and r.json()["price_cents"] == 149
    r = c.put(f"/api/v1/marketplace/{listing.pk}", {"commission_rate": "0.1"}, format="json")
    assert_error(r, 403, field="commission_rate")
    r = client_for(StaffFactory()).put(
        f"/api/v1/marketplace/{listing.pk}", {"commission_rate": "0.1"}, format="json"
    )
    assert r.status_code == 200 and r.json()["commission_rate"] == "0.1000"
    assert client_for(UserFactory()).delete(f"/api/v1/marketplace/{listing.pk}").status_code == 403
    assert c.delete(f"/api/v1/marketplace/{listing.pk}").status_code == 204
    assert APIClient().get(f"/api/v1/marketplace/{listing.game_id}").status_code == 404
    assert c.get(f"/api/v1/marketplace/{listing.game_id}").json()["is_active"] is False


def test_buying_an_unlisted_deleted_or_moderated_game_is_refused(listing, seller, buyer, fund):
    fund(buyer)
    c = client_for(buyer)
    Game.objects.filter(pk=listing.game_id).update(status=Game.Status.MODERATED)
    assert_error(
        c.post(f"/api/v1/marketplace/{listing.pk}/purchase", {}, format="json"),
        400,
        field="listing",
        code="game_moderated",
    )
    Game.objects.filter(pk=listing.game_id).update(status=Game.Status.DELETED)
    assert c.post(f"/api/v1/marketplace/{listing.pk}/purchase", {}, format="json").status_code == 404
    assert c.post(f"/api/v1/marketplace/{uuid.uuid4()}/purchase", {}, format="json").status_code == 404
    assert not Purchase.objects.exists()


def test_buying_your_own_game_is_403(listing, seller, fund):
    fund(seller)
    r = client_for(seller).post(f"/api/v1/marketplace/{listing.pk}/purchase", {}, format="json")
    assert_error(r, 403, field="listing", code="own_game")


def test_refund_errors_name_the_field(listing, buyer, fund):
    fund(buyer)
    c = client_for(buyer)
    purchase_id = c.post(f"/api/v1/marketplace/{listing.pk}/purchase", {}, format="json").json()["id"]
    staff = client_for(StaffFactory())
    assert_error(
        staff.post(f"/api/v1/marketplace/purchases/{purchase_id}/refund", {"amount": "5.00"}, format="json"),
        400,
        field="amount",
    )
    assert_error(
        staff.post(f"/api/v1/marketplace/purchases/{purchase_id}/refund", {"amount_cents": 0}, format="json"),
        400,
        field="amount_cents",
    )
    assert c.post(f"/api/v1/marketplace/purchases/{purchase_id}/refund", {}, format="json").status_code == 201
    assert_error(
        c.post(f"/api/v1/marketplace/purchases/{purchase_id}/refund", {}, format="json"),
        409,
        field="purchase",
        code="already_refunded",
    )
    assert (
        client_for(UserFactory())
        .post(f"/api/v1/marketplace/purchases/{purchase_id}/refund", {}, format="json")
        .status_code
        == 404
    )


def test_credits_are_for_staff_and_check_their_input(buyer):
    r = client_for(buyer).post(
        "/api/v1/marketplace/credits",
        {"user": buyer.username, "amount": "5.00", "reason": "x"},
        format="json",
    )
    assert r.status_code == 403
    staff = client_for(StaffFactory())
    assert_error(
        staff.post(
            "/api/v1/marketplace/credits", {"user": "nobody", "amount": "5.00", "reason": "x"}, format="json"
        ),
        400,
        field="user",
    )
    assert_error(
        staff.post(
            "/api/v1/marketplace/credits",
            {"user": buyer.username, "amount": "0", "reason": "x"},
            format="json",
        ),
        400,
        field="amount",
    )
    assert_error(
        staff.post("/api/v1/marketplace/credits", {"user": buyer.username, "amount": "5.00"}, format="json"),
        400,
        field="reason",
    )
    assert_error(
        staff.post(
            "/api/v1/marketplace/credits",
            {"user": buyer.username, "amount": "99999.00", "reason": "x"},
            format="json",
        ),
        400,
        field="amount",
    )
    assert ledger.wallet_balance(user=buyer) == 0


def test_browse_filters_sorts_and_pins_its_queries(seller, django_assert_num_queries):
    for n, (price, category) in enumerate([(0, "puzzle"), (99, "arcade"), (299, "puzzle"), (999, "action")]):
        game = make_game(seller, title=f"G{n}", category=category)
        client_for(seller).post(
            "/api/v1/marketplace", {"game": str(game.pk), "price_cents": price}, format="json"
        )
    api = APIClient()
    with django_assert_num_queries(2):  # count + page (game and seller joined)
        r = api.get("/api/v1/marketplace?sort=price")
    assert [x["price_cents"] for x in r.json()["results"]] == [0, 99, 299, 999]
    assert [x["price_cents"] for x in api.get("/api/v1/marketplace?free=true").json()["results"]] == [0]
    assert [
        x["price_cents"] for x in api.get("/api/v1/marketplace?category=puzzle&sort=-price").json()["results"]
    ] == [299, 0]
    assert [
        x["price_cents"]
        for x in api.get("/api/v1/marketplace?min_price=0.50&max_price=3.00&sort=price").json()["results"]
    ] == [99, 299]
    assert "revenue" not in r.json()["results"][0]
    assert_error(api.get("/api/v1/marketplace?min_price=-1"), 400, field="min_price")
    assert_error(api.get("/api/v1/marketplace?sort=cheapest"), 400, field="sort")
    assert_error(api.get("/api/v1/marketplace?free=maybe"), 400, field="free")
    assert_error(api.get("/api/v1/marketplace?category=sports"), 400, field="category")


def test_sales_count_conversion_from_plays(listing, seller, buyer, fund):
    fund(buyer)
    for _ in range(4):
        Play.objects.create(game=listing.game, user=buyer)
    client_for(buyer).post(f"/api/v1/marketplace/{listing.pk}/purchase", {}, format="json")
    sales = client_for(seller).get(f"/api/v1/marketplace/sales?game={listing.game_id}").json()
    today = sales["days"][-1]
    assert today["plays"] == 4 and today["sales"] == 1 and today["conversion"] == 0.25
    assert_error(
        client_for(seller).get("/api/v1/marketplace/sales?date_from=2026-13-01"), 400, field="date_from"
    )
    assert_error(
        client_for(UserFactory()).get(f"/api/v1/marketplace/sales?game={listing.game_id}"), 403, field="game"
    )


def test_wallet_shows_the_balance(buyer, fund):
    fund(buyer, 700)
    r = client_for(buyer).get("/api/v1/marketplace/wallet")
    assert r.json()["balance_cents"] == 700 and r.json()["balance"] == "7.00"


def test_a_mobile_buyer_gets_a_play_url_after_buying_and_loses_it_with_the_refund(
    client, playable_game, seller, buyer, fund, django_capture_on_commit_callbacks
):
    # given: a paid listing of a playable game
    listing = services_listing(seller, playable_game)
    fund(buyer, 1000)
    mobile = client_for(buyer)
    game_url = f"/api/v1/games/{playable_game.pk}"
    assert mobile.get(game_url).json()["current_version"]["play_url"] is None
    # when: bought with an idempotency key
    r = mobile.post(
        f"/api/v1/marketplace/{listing.pk}/purchase",
        {"price": "2.99"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="m-1",
    )
    assert r.status_code == 201
    play_url = mobile.get(game_url).json()["current_version"]["play_url"]
    # then: the granted bundle plays (the frame sends no cookies: a bare client)
    assert play_url and "/~" in play_url
    assert client.get(play_url).status_code == 200
    # and after the refund (its commit drops the cached answer) the same URL is refused at once
    with django_capture_on_commit_callbacks(execute=True):
        refund = mobile.post(f"/api/v1/marketplace/purchases/{r.json()['id']}/refund", {}, format="json")
    assert refund.status_code == 201
    assert client.get(play_url).status_code == 404
    assert mobile.get(game_url).json()["current_version"]["play_url"] is None


def services_listing(seller, game):
    from marketplace import services

    return services.listing_create(user=seller, game=game, price_cents=299)


def test_the_library_pins_its_queries(seller, buyer, fund, django_assert_num_queries):
    fund(buyer, 5000)
    for n in range(4):
        listing = services_listing(seller, make_game(seller, title=f"L{n}"))
        client_for(buyer).post(f"/api/v1/marketplace/{listing.pk}/purchase", {}, format="json")
    mobile = client_for(buyer)
    with django_assert_num_queries(3):  # count, the page (game, listing, seller joined), its refunds
        r = mobile.get("/api/v1/marketplace/purchases")
    assert r.json()["count"] == 4
