"""Pages: browse, the buy confirmation, my library and receipts, the seller dashboard."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gamefactory.errors import ApplicationError
from games import selectors as games_selectors
from marketplace import forms, ledger, money, selectors, services, stripe_gateway
from marketplace.services.refunds import refund_window_open

PAGE_SIZE = 24


def _game_or_404(request, slug):
    try:
        return games_selectors.game_get(user=request.user, slug=slug)
    except ApplicationError:
        raise Http404("No such game.") from None


@require_GET
def browse(request):
    form = forms.BrowseForm(request.GET or None)
    filters = form.filters()
    listings = selectors.listing_browse(**filters)
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": bool(set(filters) - {"sort"}),
    }
    if request.htmx and not request.htmx.boosted:
        response = render(request, "marketplace/_grid.html", context)
        response["HX-Push-Url"] = request.get_full_path()
        return response
    return render(request, "marketplace/browse.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def buy(request, slug):
    """GET: the confirmation (price, wallet, one button). POST: buy, once, whatever the clicks."""
    game = _game_or_404(request, slug)
    listing = selectors.listing_of_game(game=game)
    if listing is None or not listing.is_active:
        messages.error(request, "This game is not for sale.")
        return redirect("games:detail", slug=game.slug)
    owned = selectors.purchase_live(game=game, user=request.user)
    if owned is not None and owned.status == owned.Status.COMPLETED:
        messages.info(request, "You own this game already.")
        return redirect("games:detail", slug=game.slug)
    error = None
    if request.method == "POST":
        key = request.POST.get("idempotency_key", "")
        expected = request.POST.get("price_cents", "")

        def call():
            purchase = services.purchase_create(
                buyer=request.user,
                listing=listing,
                expected_price_cents=int(expected) if expected.isdigit() else None,
                idempotency_key=key,
            )
            return 201, {"id": str(purchase.pk), "status": purchase.status}

        try:
            answer = services.idempotent_call(
                user=request.user,
                key=key,
                scope="purchase",
                params={"listing": str(listing.pk), "body": {"price_cents": expected}},
                call=call,
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            if answer.status < 400:
                messages.success(
                    request,
                    f"You bought {game.title} for {money.format_cents(listing.price_cents)}. Have fun!",
                )
                return redirect("games:detail", slug=game.slug)
            error = answer.body["error"]["message"]
    balance = ledger.wallet_balance(user=request.user)
    context = {
        "game": game,
        "listing": listing,
        "balance": balance,
        "after": balance - listing.price_cents,
        "enough": balance >= listing.price_cents,
        "idempotency_key": uuid.uuid4(),
        "error": error,
    }
    return render(request, "marketplace/buy.html", context, status=400 if error else 200)


@login_required
@require_GET
def library(request):
    purchases = selectors.purchases_of(user=request.user)
    page = Paginator(purchases, 50).get_page(request.GET.get("page"))
    wallet = selectors.wallet_of(user=request.user)
    return render(request, "marketplace/library.html", {"page": page, "wallet": wallet})


@login_required
@require_GET
def receipt(request, purchase_id):
    try:
        purchase = selectors.purchase_get(purchase_id=purchase_id, user=request.user)
    except ApplicationError:
        raise Http404("No such purchase.") from None
    can_refund = (
        purchase.buyer_id == request.user.pk
        and purchase.status == purchase.Status.COMPLETED
        and purchase.refundable_cents == purchase.amount_cents > 0
        and refund_window_open(purchase)
    )
    context = {
        "purchase": purchase,
        "can_refund": can_refund,
        "window_hours": settings.MARKETPLACE_REFUND_WINDOW_HOURS,
        "seller_share": purchase.amount_cents - purchase.commission_cents,
    }
    return render(request, "marketplace/receipt.html", context)


@login_required
@require_POST
def refund(request, purchase_id):
    try:
        purchase = selectors.purchase_get(purchase_id=purchase_id, user=request.user)
        services.refund_create(
            purchase=purchase, user=request.user, reason=request.POST.get("reason", "")[:300]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Refunded: the money is back in your wallet.")
    return redirect("marketplace:receipt", purchase_id=purchase_id)


def _sales_chart(stats: dict) -> dict:
    days = stats["days"]
    return {
        "labels": [d["date"] for d in days],
        "charts": {
            "chart-sales": {
                "type": "bar",
                "money": False,
                "datasets": [
                    {"label": "Sales", "data": [d["sales"] for d in days]},
                    {"label": "Refunds", "data": [d["refunds"] for d in days]},
                ],
            },
            "chart-net": {
                "type": "line",
                "money": True,
                "datasets": [
                    {"label": "Gross", "data": [d["gross_cents"] / 100 for d in days]},
                    {"label": "Net after commission", "data": [d["net_cents"] / 100 for d in days]},
                ],
            },
            "chart-conversion": {
                "type": "line",
                "percent": True,
                "datasets": [
                    {
                        "label": "Sales per play",
                        "data": [
                            None if d["conversion"] is None else round(d["conversion"] * 100, 1) for d in days
                        ],
                    }
                ],
            },
        },
    }


@login_required
@require_http_methods(["GET", "POST"])
def sell(request):
    """The seller dashboard: list a game, your listings, sales and what you earned."""
    games = forms.listable_games(request.user)
    form = forms.ListingForm(request.POST or None, games=games)
    if request.method == "POST" and form.is_valid():
        try:
            game = games_selectors.game_get(user=request.user, game_id=form.cleaned_data["game"])
            price = money.cents_from_input(
                value=form.cleaned_data["price"], field="price", maximum=settings.MARKETPLACE_MAX_PRICE_CENTS
            )
            listing = services.listing_create(
                user=request.user, game=game, price_cents=price, blurb=form.cleaned_data["blurb"]
            )
        except ApplicationError as exc:
            for field, errors in (exc.fields or {None: [exc.message]}).items():
                form.add_error(field if field in form.fields else None, errors[0] if errors else exc.message)
        else:
            if listing.held_for_review:
                messages.info(request, f"{game.title} waits for a moderator's review before it goes on sale.")
            else:
                messages.success(
                    request, f"{game.title} is on sale for {money.format_cents(listing.price_cents)}."
                )
            return redirect("marketplace:sell")
    today = timezone.now().date()
    stats = selectors.sales_stats(seller=request.user, date_from=today - dt.timedelta(days=29), date_to=today)
    context = {
        "form": form,
        "has_games": games.exists(),
        "listings": selectors.listings_of_seller(user=request.user),
        "stats": stats,
        "days_desc": [d for d in reversed(stats["days"]) if d["sales"] or d["refunds"] or d["plays"]],
        "chart": {**_sales_chart(stats), "currency_symbol": money.format_cents(0).rstrip("0.,")},
        "balance": selectors.seller_balance(user=request.user),
        "commission_pct": int(settings.MARKETPLACE_COMMISSION_RATE * 100),
        "stripe": stripe_gateway.configured(),
        "seller_account": getattr(request.user, "seller_account", None)
        if stripe_gateway.configured()
        else None,
        "recent_sales": selectors.sales_recent(seller=request.user),
    }
    return render(request, "marketplace/sell.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def listing_change(request, listing_id):
    try:
        listing = selectors.listing_get(ident=listing_id, user=request.user)
        action = request.POST.get("action")
        if action == "remove":
            services.listing_remove(listing=listing, user=request.user)
            messages.success(request, f"{listing.game.title} is off sale. Buyers keep it.")
        elif action == "relist":
            services.listing_update(listing=listing, user=request.user, is_active=True)
            messages.success(request, f"{listing.game.title} is on sale again.")
        else:
            price = money.cents_from_input(
                value=request.POST.get("price", ""),
                field="price",
                maximum=settings.MARKETPLACE_MAX_PRICE_CENTS,
            )
            services.listing_update(listing=listing, user=request.user, price_cents=price)
            messages.success(request, f"{listing.game.title} now costs {money.format_cents(price)}.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("marketplace:sell")


@login_required
@require_POST
def connect_onboard(request):
    back = request.build_absolute_uri(reverse("marketplace:sell"))
    try:
        url = services.seller_onboard(user=request.user, return_url=back, refresh_url=back)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("marketplace:sell")
    return redirect(url)
