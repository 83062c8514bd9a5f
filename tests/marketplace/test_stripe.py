"""Stripe Connect through the official SDK against tests/marketplace/fake_stripe.py: seller
onboarding, destination charges with the commission as application fee, proportional refunds,
webhooks verified by signature and handled once per event id, in any order."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from marketplace import ledger, services, stripe_gateway
from marketplace.models import LedgerTransaction, Purchase, Refund, SellerAccount, StripeEvent
from tests.factories import StaffFactory
from tests.marketplace import fake_stripe
from tests.marketplace.conftest import assert_error

pytestmark = pytest.mark.django_db
SECRET = "whsec_test_secret"


@pytest.fixture
def stripe_server(settings):
    state, server = fake_stripe.start()
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_API_BASE = state.url
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    yield state
    server.shutdown()
    server.server_close()


def client_for(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def onboarded(stripe_server, seller):
    """The seller went through Stripe's onboarding; Stripe told us with account.updated."""
    url = client_for(seller).post("/api/v1/marketplace/connect/onboard", {}, format="json").json()["url"]
    account = SellerAccount.objects.get(user=seller)
    assert url.endswith(account.stripe_account_id)
    payload, sig = fake_stripe.signed_event(
        SECRET,
        event_id="evt_acct_1",
        type="account.updated",
        obj=stripe_server.onboard(account.stripe_account_id),
    )
    r = APIClient().post(
        "/api/v1/marketplace/stripe/webhook",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sig,
    )
    assert r.status_code == 200, r.content
    account.refresh_from_db()
    assert account.can_receive
    return account


def webhook(payload, sig):
    return APIClient().post(
        "/api/v1/marketplace/stripe/webhook",
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sig,
    )


def test_onboarding_twice_makes_one_connected_account(stripe_server, seller):
    c = client_for(seller)
    first = c.post("/api/v1/marketplace/connect/onboard", {}, format="json")
    second = c.post("/api/v1/marketplace/connect/onboard", {}, format="json")
    assert first.status_code == second.status_code == 200
    assert len(stripe_server.accounts) == 1 and SellerAccount.objects.count() == 1
    created = [r for r in stripe_server.requests if r["path"] == "/v1/accounts"][0]
    assert created["form"]["capabilities[transfers][requested]"] == "true"
    assert created["idempotency_key"] == f"gf-connect-account-{seller.pk}"


def test_a_card_purchase_is_a_destination_charge_with_the_commission_as_application_fee(
    stripe_server, onboarded, listing, buyer, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(buyer).post(
            f"/api/v1/marketplace/{listing.pk}/purchase",
            {"payment_method": "stripe", "payment_method_id": "pm_card_visa"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="card-1",
        )
    # then: answered "pending" at once, completed by the task's charge
    assert r.status_code == 202, r.content
    assert r.json()["status"] == "pending"
    [charge] = stripe_server.charges()
    form = charge["form"]
    assert form["amount"] == "299" and form["currency"] == "eur"
    assert form["application_fee_amount"] == "90"
    assert form["transfer_data[destination]"] == onboarded.stripe_account_id
    assert charge["idempotency_key"] == f"gf-purchase-{r.json()['id']}"
    purchase = Purchase.objects.get()
    assert purchase.status == Purchase.Status.COMPLETED and purchase.transaction_id.startswith("pi_")
    assert ledger.ledger_check().ok


def test_a_retried_charge_reaches_stripe_with_the_same_key_and_charges_once(
    stripe_server, onboarded, listing, buyer
):
    purchase = services.purchase_create(
        buyer=buyer, listing=listing, payment_method="stripe", payment_method_id="pm_card_visa"
    )
    kwargs = {
        "purchase_id": purchase.pk, "amount_cents": 299, "currency": "EUR", "fee_cents": 90,
        "destination": onboarded.stripe_account_id, "payment_method": "pm_card_visa",
    }  # fmt: skip
    first = stripe_gateway.destination_charge(**kwargs)
    second = stripe_gateway.destination_charge(**kwargs)  # a task retried after a lost answer
    assert first.id == second.id and len(stripe_server.charges()) == 1 and len(stripe_server.intents) == 1


def test_a_declined_card_fails_the_purchase_and_books_nothing(
    stripe_server, onboarded, listing, buyer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(buyer).post(
            f"/api/v1/marketplace/{listing.pk}/purchase",
            {"payment_method": "stripe", "payment_method_id": "pm_card_chargeDeclined"},
            format="json",
        )
    purchase = Purchase.objects.get()
    assert purchase.status == Purchase.Status.FAILED and "declined" in purchase.failure_reason
    assert not LedgerTransaction.objects.exists()


def test_webhooks_twice_and_out_of_order_complete_the_purchase_once(stripe_server, onboarded, listing, buyer):
    # given: a card purchase whose task has not run yet; Stripe charged and says so first
    purchase = services.purchase_create(
        buyer=buyer, listing=listing, payment_method="stripe", payment_method_id="pm_card_visa"
    )
    intent = stripe_gateway.destination_charge(
        purchase_id=purchase.pk, amount_cents=299, currency="EUR", fee_cents=90,
        destination=onboarded.stripe_account_id, payment_method="pm_card_visa",
    )  # fmt: skip
    payload, sig = fake_stripe.signed_event(
        SECRET, event_id="evt_1", type="payment_intent.succeeded", obj=intent.to_dict()
    )
    # when: the event arrives twice, then the task finally runs
    first, second = webhook(payload, sig), webhook(payload, sig)
    services.purchase_charge(
        purchase_id=purchase.pk, payment_method_id="pm_card_visa", destination=onboarded.stripe_account_id
    )
    # then
    assert first.json() == {"received": True, "duplicate": False}
    assert second.json() == {"received": True, "duplicate": True}
    purchase.refresh_from_db()
    assert purchase.status == Purchase.Status.COMPLETED
    assert LedgerTransaction.objects.filter(kind="purchase").count() == 1
    assert len(stripe_server.charges()) == 1
    assert StripeEvent.objects.count() == 2  # account.updated + this one


def test_a_webhook_with_a_bad_signature_is_refused(stripe_server):
    payload, sig = fake_stripe.signed_event(
        "whsec_someone_else", event_id="evt_x", type="payment_intent.succeeded", obj={"id": "pi_x"}
    )
    assert_error(webhook(payload, sig), 400, field="Stripe-Signature", code="bad_signature")
    assert_error(webhook(payload, ""), 400, field="Stripe-Signature")
    assert not StripeEvent.objects.exists()


def test_a_webhook_for_an_unknown_charge_is_refused_and_not_recorded(stripe_server):
    payload, sig = fake_stripe.signed_event(
        SECRET,
        event_id="evt_unknown",
        type="payment_intent.succeeded",
        obj={"id": "pi_nobody", "object": "payment_intent", "metadata": {}},
    )
    assert_error(webhook(payload, sig), 400, code="unknown_charge")
    assert not StripeEvent.objects.filter(pk="evt_unknown").exists()  # Stripe retries it later


def test_a_stripe_refund_reverses_fee_and_transfer_in_proportion(
    stripe_server, onboarded, listing, buyer, django_capture_on_commit_callbacks
):
    # given: a completed card purchase
    with django_capture_on_commit_callbacks(execute=True):
        purchase = services.purchase_create(
            buyer=buyer, listing=listing, payment_method="stripe", payment_method_id="pm_card_visa"
        )
    purchase.refresh_from_db()
    staff = StaffFactory()
    # when: staff refund 1.00, then the rest
    with django_capture_on_commit_callbacks(execute=True):
        services.refund_create(purchase=purchase, user=staff, amount_cents=100)
    with django_capture_on_commit_callbacks(execute=True):
        services.refund_create(purchase=purchase, user=staff)
    # then: Stripe got refund_application_fee and reverse_transfer; the fee came back whole
    refunds = [r for r in stripe_server.requests if r["path"] == "/v1/refunds"]
    assert [r["form"]["amount"] for r in refunds] == ["100", "199"]
    assert all(
        r["form"]["refund_application_fee"] == "true" and r["form"]["reverse_transfer"] == "true"
        for r in refunds
    )
    intent = stripe_server.intents[purchase.transaction_id]
    assert intent["fee_refunded"] == 90 and intent["transfer_reversed"] == 209
    ours = Refund.objects.order_by("created_at")
    assert [r.commission_cents for r in ours] == [30, 60] and sum(r.seller_cents for r in ours) == 209
    purchase.refresh_from_db()
    assert purchase.status == Purchase.Status.REFUNDED
    assert ledger.ledger_check().ok
    # and a late charge.refunded webhook changes nothing
    charge = {"id": intent["latest_charge"], "object": "charge", "payment_intent": intent["id"],
              "refunds": {"object": "list", "data": [dict(r) for r in stripe_server.refunds.values()]}}  # fmt: skip
    payload, sig = fake_stripe.signed_event(
        SECRET, event_id="evt_refunded", type="charge.refunded", obj=charge
    )
    assert webhook(payload, sig).status_code == 200
    assert LedgerTransaction.objects.filter(kind="refund").count() == 2


def test_card_payments_need_stripe_configured(listing, buyer, settings):
    settings.STRIPE_SECRET_KEY = ""
    r = client_for(buyer).post(
        f"/api/v1/marketplace/{listing.pk}/purchase",
        {"payment_method": "stripe", "payment_method_id": "pm_card_visa"},
        format="json",
    )
    assert_error(r, 400, field="payment_method", code="not_configured")
    r = APIClient().post(
        "/api/v1/marketplace/stripe/webhook",
        b"{}",
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE="t=1,v1=x",
    )
    assert r.status_code == 404


def test_a_seller_without_a_connected_account_cannot_take_cards(stripe_server, listing, buyer):
    r = client_for(buyer).post(
        f"/api/v1/marketplace/{listing.pk}/purchase",
        {"payment_method": "stripe", "payment_method_id": "pm_card_visa"},
        format="json",
    )
    assert_error(r, 400, field="payment_method", code="seller_not_onboarded")
    assert not Purchase.objects.exists()
