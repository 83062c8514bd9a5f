"""Listings, purchases, refunds and credit through the services: the money always adds up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from gamefactory.errors import ApplicationError
from games import access
from games.models import Game
from marketplace import ledger, money, services
from marketplace.models import LedgerAccount, LedgerEntry, Listing, Purchase
from tests.factories import StaffFactory, UserFactory
from tests.marketplace.conftest import make_game

pytestmark = pytest.mark.django_db
Kind = LedgerAccount.Kind


def balance(kind, user=None):
    return ledger.balance_of(LedgerAccount.objects.filter(kind=kind, user=user).first())


def test_listing_a_paid_game_restricts_who_plays_it(seller, game):
    # when
    listing = services.listing_create(user=seller, game=game, price_cents=299)
    # then
    game.refresh_from_db()
    assert listing.is_active and listing.price_cents == 299 and listing.currency == money.currency()
    assert listing.commission_rate == Decimal("0.30")
    assert game.play_restricted
    assert not access.game_play_access(game=game, user=UserFactory()).allowed
    assert access.game_play_access(game=game, user=seller).allowed


def test_a_free_listing_leaves_the_game_open(seller, game):
    services.listing_create(user=seller, game=game, price_cents=0)
    game.refresh_from_db()
    assert not game.play_restricted


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"status": Game.Status.MODERATED}, "game", "game_unavailable"),
        ({"status": Game.Status.DELETED}, "game", "game_unavailable"),
        ({"is_public": False}, "game", "game_not_public"),
    ],
)
def test_only_a_public_active_game_can_be_listed(seller, game, change, field, code):
    Game.objects.filter(pk=game.pk).update(**change)
    game.refresh_from_db()
    with pytest.raises(ApplicationError) as err:
        services.listing_create(user=seller, game=game, price_cents=100)
    assert field in err.value.fields and err.value.code == code
    assert not Listing.objects.exists()


def test_only_the_owner_lists_a_game(game):
    with pytest.raises(ApplicationError) as err:
        services.listing_create(user=UserFactory(), game=game, price_cents=100)
    assert err.value.status_code == 403 and "game" in err.value.fields


def test_a_held_blurb_keeps_the_listing_inactive(seller, game, settings):
    # given: a scanner that holds everything for review
    settings.CONTENT_SCANNER = "tests.marketplace.test_services.hold_everything"
    # when
    listing = services.listing_create(user=seller, game=game, price_cents=100, blurb="buy me")
    # then
    assert not listing.is_active and listing.held_for_review
    with pytest.raises(ApplicationError) as err:
        services.listing_update(listing=listing, user=seller, is_active=True)
    assert err.value.code == "held_for_review"
    services.listing_update(listing=listing, user=StaffFactory(), is_active=True)
    listing.refresh_from_db()
    assert listing.is_active and not listing.held_for_review


def hold_everything(**kwargs):
    from gamefactory.content import ContentVerdict

    return ContentVerdict(action="hold", reason="review")


def test_a_wallet_purchase_books_one_balanced_transaction_with_the_70_30_split(listing, buyer, seller, fund):
    # given
    fund(buyer, 1000)
    # when
    purchase = services.purchase_create(buyer=buyer, listing=listing)
    # then
    assert purchase.status == Purchase.Status.COMPLETED and purchase.amount_cents == 299
    assert purchase.commission_cents == 90 and purchase.seller_share_cents == 209
    assert balance(Kind.WALLET, buyer) == 1000 - 299
    assert balance(Kind.SELLER, seller) == 209
    assert balance(Kind.COMMISSION) == 90
    assert ledger.ledger_check().ok
    listing.refresh_from_db()
    assert listing.sale_count == 1 and listing.revenue_cents == 299
    assert access.game_play_access(game=listing.game, user=buyer).allowed


@pytest.mark.parametrize("who", ["own", "moderated", "deleted", "inactive", "owned"])
def test_purchases_that_are_refused_write_nothing(listing, buyer, seller, fund, who):
    # given
    fund(buyer, 5000)
    user = buyer
    if who == "own":
        user = seller
        fund(seller, 5000)
    elif who == "moderated":
        Game.objects.filter(pk=listing.game_id).update(status=Game.Status.MODERATED)
    elif who == "deleted":
        Game.objects.filter(pk=listing.game_id).update(status=Game.Status.DELETED)
    elif who == "inactive":
        services.listing_remove(listing=listing, user=seller)
    elif who == "owned":
        services.purchase_create(buyer=buyer, listing=listing)
    before = (Purchase.objects.count(), LedgerEntry.objects.count())
    # when
    with pytest.raises(ApplicationError) as err:
        services.purchase_create(buyer=user, listing=listing)
    # then
    assert 400 <= err.value.status_code < 500 and "listing" in err.value.fields
    assert (Purchase.objects.count(), LedgerEntry.objects.count()) == before


def test_not_enough_credit_is_402_and_writes_nothing(listing, buyer, fund):
    fund(buyer, 100)
    with pytest.raises(ApplicationError) as err:
        services.purchase_create(buyer=buyer, listing=listing)
    assert err.value.status_code == 402 and "wallet" in err.value.fields
    assert not Purchase.objects.exists()


def test_a_changed_price_is_409(listing, buyer, fund):
    fund(buyer)
    with pytest.raises(ApplicationError) as err:
        services.purchase_create(buyer=buyer, listing=listing, expected_price_cents=199)
    assert err.value.status_code == 409 and "price" in err.value.fields


def test_a_currency_mismatch_is_refused(listing, buyer, fund):
    fund(buyer)
    with pytest.raises(ApplicationError) as err:
        services.purchase_create(buyer=buyer, listing=listing, currency="USD")
    assert err.value.code == "currency_mismatch" and "currency" in err.value.fields


def test_a_full_refund_reverses_every_share_and_takes_the_game_back(listing, buyer, seller, fund):
    # given
    fund(buyer, 1000)
    purchase = services.purchase_create(buyer=buyer, listing=listing)
    # when
    refund = services.refund_create(purchase=purchase, user=StaffFactory())
    # then
    purchase.refresh_from_db()
    assert refund.amount_cents == 299 and refund.commission_cents == 90 and refund.seller_cents == 209
    assert purchase.status == Purchase.Status.REFUNDED
    assert balance(Kind.WALLET, buyer) == 1000
    assert balance(Kind.SELLER, seller) == 0 and balance(Kind.COMMISSION) == 0
    assert not access.game_play_access(game=listing.game, user=buyer).allowed
    assert ledger.ledger_check().ok


def test_partial_refunds_are_proportional_exact_and_never_exceed_the_payment(seller, buyer, fund):
    # given: 3.33 at 30 %: commission 1.00 (0.999 rounded), seller 2.33
    game = make_game(seller)
    listing = services.listing_create(user=seller, game=game, price_cents=333)
    fund(buyer, 1000)
    purchase = services.purchase_create(buyer=buyer, listing=listing)
    staff = StaffFactory()
    # when: three partial refunds of 1.11
    parts = [services.refund_create(purchase=purchase, user=staff, amount_cents=111) for _ in range(3)]
    # then: the shares add up exactly to the original split
    assert sum(p.commission_cents for p in parts) == purchase.commission_cents == 100
    assert sum(p.seller_cents for p in parts) == 233
    purchase.refresh_from_db()
    assert purchase.status == Purchase.Status.REFUNDED and purchase.refunded_cents == 333
    # and no more can be refunded
    with pytest.raises(ApplicationError) as err:
        services.refund_create(purchase=purchase, user=staff, amount_cents=1)
    assert err.value.code == "already_refunded"
    assert balance(Kind.SELLER, seller) == 0 and balance(Kind.COMMISSION) == 0
    assert ledger.ledger_check().ok


def test_a_refund_larger_than_what_is_left_is_refused(listing, buyer, fund):
    fund(buyer)
    purchase = services.purchase_create(buyer=buyer, listing=listing)
    staff = StaffFactory()
    services.refund_create(purchase=purchase, user=staff, amount_cents=200)
    with pytest.raises(ApplicationError) as err:
        services.refund_create(purchase=purchase, user=staff, amount_cents=100)
    assert err.value.code == "refund_exceeds_payment" and "amount" in err.value.fields
    purchase.refresh_from_db()
    assert purchase.refunded_cents == 200 and purchase.status == Purchase.Status.COMPLETED
    # a partial refund keeps the game in the library
    assert access.game_play_access(game=purchase.game, user=buyer).allowed


def test_the_buyer_refunds_within_the_window_only(listing, buyer, fund, settings):
    fund(buyer)
    purchase = services.purchase_create(buyer=buyer, listing=listing)
    Purchase.objects.filter(pk=purchase.pk).update(
        created_at=purchase.created_at
        - __import__("datetime").timedelta(hours=settings.MARKETPLACE_REFUND_WINDOW_HOURS + 1)
    )
    purchase.refresh_from_db()
    with pytest.raises(ApplicationError) as err:
        services.refund_create(purchase=purchase, user=buyer)
    assert err.value.code == "refund_window_closed"
    with pytest.raises(ApplicationError) as err:
        services.refund_create(purchase=purchase, user=UserFactory())
    assert err.value.status_code == 404


def test_refunding_twice_is_refused(listing, buyer, fund):
    fund(buyer)
    purchase = services.purchase_create(buyer=buyer, listing=listing)
    services.refund_create(purchase=purchase, user=buyer)
    with pytest.raises(ApplicationError) as err:
        services.refund_create(purchase=purchase, user=buyer)
    assert err.value.code == "already_refunded" and err.value.status_code == 409


def test_a_refunded_buyer_can_buy_again(listing, buyer, fund):
    fund(buyer)
    purchase = services.purchase_create(buyer=buyer, listing=listing)
    services.refund_create(purchase=purchase, user=buyer)
    again = services.purchase_create(buyer=buyer, listing=listing)
    assert again.status == Purchase.Status.COMPLETED and again.pk != purchase.pk


def test_a_free_game_joins_the_library_without_money(seller, buyer):
    game = make_game(seller)
    listing = services.listing_create(user=seller, game=game, price_cents=0)
    purchase = services.purchase_create(buyer=buyer, listing=listing)
    assert purchase.status == Purchase.Status.COMPLETED and purchase.provider == "free"
    assert not LedgerEntry.objects.filter(transaction__purchase=purchase).exists()


def test_credit_is_booked_against_the_promotion_account(buyer):
    grant = services.credit_grant(user=buyer, amount_cents=500, reason="welcome", granted_by=StaffFactory())
    assert balance(Kind.WALLET, buyer) == 500 and balance(Kind.PROMOTION) == -500
    assert grant.transaction.entries.count() == 2
    with pytest.raises(ApplicationError) as err:
        services.credit_grant(user=buyer, amount_cents=500, reason="x", granted_by=UserFactory())
    assert err.value.status_code == 403


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("-1.00", "invalid_amount"),
        (-5, "negative_amount"),
        ("2.999", "invalid_amount"),
        ("1e3", "invalid_amount"),
        ("NaN", "invalid_amount"),
        ("Infinity", "invalid_amount"),
        (2.99, "invalid_amount"),
        (True, "invalid_amount"),
        ("99999999", "amount_too_large"),
        (10**12, "amount_too_large"),
    ],
)
def test_bad_amounts_are_refused_on_their_field(value, code):
    with pytest.raises(ApplicationError) as err:
        money.cents_from_input(value=value, field="price", maximum=50_000)
    assert err.value.code == code and "price" in err.value.fields


def test_money_parses_exactly():
    assert money.cents_from_input(value="2.99", field="p", maximum=1000) == 299
    assert money.cents_from_input(value="2.9", field="p", maximum=1000) == 290
    assert money.cents_from_input(value=299, field="p", maximum=1000) == 299
    assert money.format_cents(299, "EUR") == "€2.99"


def test_an_unbalanced_transaction_is_refused_before_it_reaches_the_database(buyer):
    wallet = ledger.account_for(kind=Kind.WALLET, user=buyer)
    promo = ledger.platform_account(Kind.PROMOTION)
    with pytest.raises(ledger.UnbalancedTransaction):
        ledger.post(
            kind="credit_grant", reference="x", legs=[ledger.Leg(wallet, 100), ledger.Leg(promo, -99)]
        )


def test_the_database_refuses_to_change_or_delete_a_posted_entry(buyer, fund):
    from django.db import DatabaseError, transaction

    fund(buyer, 100)
    entry = LedgerEntry.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_cents=1_000_000)
    if connection.vendor == "postgresql":  # SQLite allows DELETE (Django's flush uses it; see migration 0002)
        with pytest.raises(DatabaseError), transaction.atomic():
            LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount_cents == entry.amount_cents
