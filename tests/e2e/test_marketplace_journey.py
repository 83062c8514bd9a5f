"""The marketplace in real Chromium: a creator lists a game for €2.99, a second user buys it with
demo credit (double-clicking the confirmation charges once) and plays it, the seller sees the
sale and 70 % of it, staff refund it in the admin, the buyer loses the game at once, and the
ledger still balances."""

from __future__ import annotations

import re

import pytest
from django.contrib.sites.models import Site

from games.bundles import phaser_url
from games.models import Game
from generation.bundle import bundle_build
from generation.designer import spec_from_prompt
from marketplace import ledger, services
from marketplace.models import Purchase
from tests.factories import StaffFactory, UserFactory, game_publish_played

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-fine-password-42"


@pytest.fixture
def platform(settings, tmp_path, live_server):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.SITE_URL = live_server.url
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": "localhost", "name": "GameFactory"}
    )
    return live_server.url


def sign_in(browser, base, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/")
    return context, page, errors


def test_list_buy_play_refund(browser, platform, tmp_path):
    # given: a creator with a published game, a player with demo credit, staff
    creator = UserFactory(username="creator", password=PASSWORD)
    player = UserFactory(username="player", password=PASSWORD)
    StaffFactory(username="staffer", password=PASSWORD)
    spec = spec_from_prompt(prompt="push crates in a candy warehouse", seed=4, mechanic="sokoban")
    bundle_build(spec=spec, out_dir=tmp_path / "bundle", phaser_src=phaser_url())
    game = game_publish_played(
        creator=creator,
        spec=spec,
        origin=Game.Origin.STUDIO,
        provenance={"e2e": "marketplace"},
        bundle_dir=tmp_path / "bundle",
    ).game
    services.credit_grant(user=player, amount_cents=2000, reason="demo credit")

    # the creator lists it for €2.99 on the seller page
    seller_ctx, seller, seller_errors = sign_in(browser, platform, "creator")
    seller.goto(f"{platform}/marketplace/sell/")
    seller.select_option("#id_game", str(game.pk))
    seller.fill("#id_price", "2.99")
    seller.click("[data-action=list]")
    seller.wait_for_selector("text=is on sale for €2.99")

    # the player sees the price, cannot play yet, buys with a double click on the confirmation
    buyer_ctx, buyer, buyer_errors = sign_in(browser, platform, "player")
    buyer.goto(f"{platform}/games/{game.slug}/")
    assert buyer.inner_text("[data-offer-price]") == "€2.99"
    assert buyer.locator("[data-play-denied=entitlement_required]").count() == 1
    buyer.click("[data-action=buy]")
    buyer.wait_for_url(re.compile(r"/marketplace/buy/"))
    assert buyer.inner_text("[data-wallet]") == "€20.00"
    buyer.dblclick("[data-action=confirm-buy]")
    buyer.wait_for_url(f"{platform}/games/{game.slug}/")
    assert Purchase.objects.filter(buyer=player).count() == 1
    assert ledger.wallet_balance(user=player) == 2000 - 299

    # and plays it: the sandboxed game boots through its granted bundle URL
    assert buyer.locator("[data-owned]").count() == 1
    buyer.wait_for_function("window.GF_PLAYER && window.GF_PLAYER.state().play", timeout=30000)
    play_url = buyer.get_attribute("iframe[sandbox='allow-scripts']", "src")
    assert "/~" in play_url
    play_url = play_url if play_url.startswith("http") else f"{platform}{play_url}"
    assert buyer.request.get(play_url).status == 200

    # the seller sees the sale and 70 % of it
    seller.goto(f"{platform}/marketplace/sell/")
    assert seller.inner_text("#sum-sales") == "1"
    assert seller.inner_text("#sum-net") == "€2.09"
    assert seller.inner_text("[data-share]") == "€2.09"

    # staff refund it in the admin; the index says the ledger balances
    staff_ctx, staff, staff_errors = sign_in(browser, platform, "staffer")
    staff.goto(f"{platform}/admin/marketplace/purchase/")
    staff.check("input[name=_selected_action]")
    staff.select_option("select[name=action]", "refund_in_full")
    staff.click("button[name=index]")
    staff.wait_for_selector("text=1 purchase refunded")
    staff.goto(f"{platform}/admin/")
    assert staff.get_attribute("#ledger-check", "data-ledger-ok") == "1"
    assert ledger.ledger_check().ok
    assert ledger.wallet_balance(user=player) == 2000

    # the refunded player loses the game at once: no player on the page, the old grant is refused
    buyer.goto(f"{platform}/games/{game.slug}/")
    assert buyer.locator("[data-play-denied=entitlement_required]").count() == 1
    assert buyer.request.get(play_url).status == 404
    assert seller_errors == buyer_errors == staff_errors == []
    for ctx in (seller_ctx, buyer_ctx, staff_ctx):
        ctx.close()
