"""The seed's marketplace API under /api/v1/marketplace: thin views over services and selectors."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from gamefactory.api.pagination import PageNumberPagination
from gamefactory.api.throttles import PerUserScopedThrottle
from gamefactory.errors import ApplicationError
from games import selectors as games_selectors
from games.models import Game
from marketplace import ledger, money, selectors, services
from marketplace import serializers as s

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Stripe's semantics: the same key and body return the first answer; another body is 409. Kept 24 h.",
)
SALES_MAX_DAYS = 366


class PurchaseThrottle(PerUserScopedThrottle):
    scope = "marketplace_purchase"


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise ApplicationError("The body must be a JSON object.", code="invalid_body")
    return request.data


def _cents(value, field: str, maximum: int) -> int | None:
    if value in (None, ""):
        return None
    return money.cents_from_input(value=value, field=field, maximum=maximum)


def _bool_param(value, field: str) -> bool | None:
    if value in (None, ""):
        return None
    lowered = str(value).lower()
    if lowered in ("1", "true", "yes"):
        return True
    if lowered in ("0", "false", "no"):
        return False
    raise ApplicationError.for_field(field, "true or false.")


def _date_param(value, field: str, default: dt.date) -> dt.date:
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError.for_field(field, "A date as YYYY-MM-DD.", code="invalid_date") from None


class MarketplaceApi(APIView):
    """GET: browse listings. POST: list one of your games."""

    # Documents the list as {count, next, previous, results} in the schema.
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("category", str, enum=[c for c, _ in Game.Category.choices]),
            OpenApiParameter("free", bool),
            OpenApiParameter("min_price", str, description='Decimal string, "1.50".'),
            OpenApiParameter("max_price", str),
            OpenApiParameter("q", str),
            OpenApiParameter("sort", str, enum=list(selectors.SORTS)),
        ],
        responses={200: s.ListingPublicOutput(many=True)},
        tags=["marketplace"],
    )
    def get(self, request):
        params = request.query_params
        category = params.get("category") or None
        if category and category not in Game.Category.values:
            raise ApplicationError.for_field("category", f"One of: {', '.join(Game.Category.values)}.")
        sort = params.get("sort") or "new"
        if sort not in selectors.SORTS:
            raise ApplicationError.for_field("sort", f"One of: {', '.join(selectors.SORTS)}.")
        limit = settings.MARKETPLACE_MAX_PRICE_CENTS
        listings = selectors.listing_browse(
            category=category,
            free=_bool_param(params.get("free"), "free"),
            min_price_cents=_cents(params.get("min_price"), "min_price", limit),
            max_price_cents=_cents(params.get("max_price"), "max_price", limit),
            q=(params.get("q") or "").strip()[:100] or None,
            sort=sort,
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(listings, request, view=self)
        return paginator.get_paginated_response(s.ListingPublicOutput(page, many=True).data)

    @extend_schema(request=s.ListingCreateInput, responses={201: s.ListingOutput}, tags=["marketplace"])
    def post(self, request):
        if not request.user.is_authenticated:
            raise ApplicationError("Sign in to sell games.", code="not_authenticated", status=401)
        data = _body(request)
        game_id = data.get("game")
        if not game_id:
            raise ApplicationError.for_field("game", "This field is required.", code="required")
        try:
            game = games_selectors.game_get(user=request.user, game_id=game_id)
        except ApplicationError:
            raise ApplicationError.for_field("game", "No such game.", code="not_found", status=404) from None
        price_cents = money.amount_from_payload(
            data, major="price", cents="price_cents", maximum=settings.MARKETPLACE_MAX_PRICE_CENTS
        )
        listing = services.listing_create(
            user=request.user,
            game=game,
            price_cents=price_cents,
            currency=data.get("currency"),
            blurb=data.get("blurb", ""),
        )
        return Response(s.ListingOutput(listing).data, status=201)


class ListingDetailApi(APIView):
    """GET by game id (or listing id); PUT and DELETE by listing id (or game id)."""

    def _output(self, request, listing):
        mine = request.user.is_authenticated and (
            request.user.is_staff or request.user.pk == listing.seller_id
        )
        return (s.ListingOutput if mine else s.ListingPublicOutput)(listing).data

    @extend_schema(responses={200: s.ListingOutput}, tags=["marketplace"])
    def get(self, request, ident):
        return Response(self._output(request, selectors.listing_get(ident=ident, user=request.user)))

    @extend_schema(request=s.ListingUpdateInput, responses={200: s.ListingOutput}, tags=["marketplace"])
    def put(self, request, ident):
        listing = selectors.listing_get(ident=ident, user=request.user)
        data = _body(request)
        known = {"price", "price_cents", "currency", "blurb", "is_active", "commission_rate"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ApplicationError(
                f"Unknown fields: {', '.join(unknown)}.", fields={f: ["Unknown field."] for f in unknown}
            )
        fields = {k: data[k] for k in ("currency", "blurb", "commission_rate") if k in data}
        if "price" in data or "price_cents" in data:
            fields["price_cents"] = money.amount_from_payload(
                data, major="price", cents="price_cents", maximum=settings.MARKETPLACE_MAX_PRICE_CENTS
            )
        if "is_active" in data:
            if not isinstance(data["is_active"], bool):
                raise ApplicationError.for_field("is_active", "true or false.")
            fields["is_active"] = data["is_active"]
        listing = services.listing_update(listing=listing, user=request.user, **fields)
        return Response(self._output(request, selectors.listing_get(ident=listing.pk, user=request.user)))

    patch = put

    @extend_schema(responses={204: None}, tags=["marketplace"])
    def delete(self, request, ident):
        listing = selectors.listing_get(ident=ident, user=request.user)
        services.listing_remove(listing=listing, user=request.user)
        return Response(status=204)


class PurchaseApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [PurchaseThrottle]

    @extend_schema(
        request=s.PurchaseInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: s.PurchaseOutput, 202: s.PurchaseOutput},
        tags=["marketplace"],
    )
    def post(self, request, ident):
        listing = selectors.listing_for_purchase(ident=ident)
        data = _body(request)
        expected = None
        if "price" in data or "price_cents" in data:
            expected = money.amount_from_payload(
                data, major="price", cents="price_cents", maximum=settings.MARKETPLACE_MAX_PRICE_CENTS
            )
        method = data.get("payment_method")
        if method is not None and method not in ("wallet", "stripe"):
            raise ApplicationError.for_field(
                "payment_method", "One of: wallet, stripe.", code="invalid_choice"
            )
        key = request.headers.get("Idempotency-Key", "")

        def call():
            purchase = services.purchase_create(
                buyer=request.user,
                listing=listing,
                payment_method=method,
                payment_method_id=data.get("payment_method_id") or "",
                expected_price_cents=expected,
                currency=data.get("currency"),
                idempotency_key=key,
            )
            purchase = selectors.purchase_get(purchase_id=purchase.pk, user=request.user)
            status = 202 if purchase.status == purchase.Status.PENDING else 201
            return status, s.PurchaseOutput(purchase).data

        answer = services.idempotent_call(
            user=request.user,
            key=key,
            scope="purchase",
            params={"listing": str(listing.pk), "body": data},
            call=call,
        )
        response = Response(answer.body, status=answer.status)
        if answer.replayed:
            response["Idempotent-Replayed"] = "true"
        return response


class PurchasesApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    # Documents the list as {count, next, previous, results} in the schema.
    pagination_class = PageNumberPagination

    @extend_schema(responses={200: s.PurchaseOutput(many=True)}, tags=["marketplace"])
    def get(self, request):
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.purchases_of(user=request.user), request, view=self)
        return paginator.get_paginated_response(s.PurchaseOutput(page, many=True).data)


class RefundApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [PurchaseThrottle]

    @extend_schema(
        request=s.RefundInput, responses={201: s.RefundOutput, 202: s.RefundOutput}, tags=["marketplace"]
    )
    def post(self, request, purchase_id):
        purchase = selectors.purchase_get(purchase_id=purchase_id, user=request.user)
        if not request.user.is_staff and purchase.buyer_id != request.user.pk:
            raise ApplicationError("No such purchase.", code="not_found", status=404)
        data = _body(request)
        amount = None
        if "amount" in data or "amount_cents" in data:
            amount = money.amount_from_payload(
                data, major="amount", cents="amount_cents", maximum=purchase.amount_cents, allow_zero=False
            )
        reason = data.get("reason") or ""
        if not isinstance(reason, str):
            raise ApplicationError.for_field("reason", "Text.")
        refund = services.refund_create(
            purchase=purchase, user=request.user, amount_cents=amount, reason=reason
        )
        return Response(
            s.RefundOutput(refund).data, status=202 if refund.status == refund.Status.PENDING else 201
        )


class CreditsApi(APIView):
    permission_classes = [permissions.IsAdminUser]

    @extend_schema(request=s.CreditInput, responses={201: s.CreditOutput}, tags=["marketplace"])
    def post(self, request):
        data = _body(request)
        ident = data.get("user")
        if not ident or not isinstance(ident, str):
            raise ApplicationError.for_field("user", "A user id or username.", code="required")
        users = get_user_model().objects
        try:
            user = users.filter(pk=ident).first()
        except (ValueError, ValidationError):
            user = None
        user = user or users.filter(username__iexact=ident).first()
        if user is None:
            raise ApplicationError.for_field("user", "No such user.", code="not_found")
        money.currency_check(data.get("currency"))
        amount = money.amount_from_payload(
            data,
            major="amount",
            cents="amount_cents",
            maximum=settings.MARKETPLACE_MAX_CREDIT_CENTS,
            allow_zero=False,
        )
        reason = data.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ApplicationError.for_field(
                "reason", "Say why (it is kept with the ledger entry).", code="required"
            )
        grant = services.credit_grant(user=user, amount_cents=amount, reason=reason, granted_by=request.user)
        grant.balance_cents = ledger.wallet_balance(user=user)
        return Response(s.CreditOutput(grant).data, status=201)


class WalletApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: s.WalletOutput}, tags=["marketplace"])
    def get(self, request):
        wallet = selectors.wallet_of(user=request.user)
        return Response(s.WalletOutput({**wallet, "currency": money.currency()}).data)


class SalesApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", dt.date),
            OpenApiParameter("date_to", dt.date),
            OpenApiParameter("game", str, description="One game's id (default: all your listings)."),
        ],
        responses={200: s.SalesOutput},
        tags=["marketplace"],
    )
    def get(self, request):
        today = timezone.now().date()
        date_to = _date_param(request.query_params.get("date_to"), "date_to", today)
        date_from = _date_param(
            request.query_params.get("date_from"), "date_from", date_to - dt.timedelta(days=29)
        )
        if date_from > date_to:
            raise ApplicationError.for_field("date_from", "The range ends before it begins.")
        if (date_to - date_from).days >= SALES_MAX_DAYS:
            raise ApplicationError.for_field("date_from", f"At most {SALES_MAX_DAYS} days at once.")
        game_id = request.query_params.get("game") or None
        if game_id is not None:
            listing = selectors.listing_get(ident=game_id, user=request.user)
            if listing.seller_id != request.user.pk and not request.user.is_staff:
                raise ApplicationError.for_field(
                    "game", "Not one of your listings.", code="permission_denied", status=403
                )
            game_id = listing.game_id
        stats = selectors.sales_stats(
            seller=request.user, date_from=date_from, date_to=date_to, game_id=game_id
        )
        stats["balance_cents"] = selectors.seller_balance(user=request.user)
        return Response(s.SalesOutput(stats).data)


class ConnectOnboardApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.OnboardInput, responses={200: s.OnboardOutput}, tags=["marketplace"])
    def post(self, request):
        data = _body(request)
        back = request.build_absolute_uri(reverse("marketplace:sell"))
        url = services.seller_onboard(
            user=request.user,
            return_url=data.get("return_url") or back,
            refresh_url=data.get("refresh_url") or back,
        )
        return Response({"url": url})


class StripeWebhookApi(APIView):
    """Stripe's events, verified by their signature (no session, no JWT, no CSRF)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes: list = []

    @extend_schema(request=None, responses={200: s.WebhookOutput}, tags=["marketplace"])
    def post(self, request):
        result = services.stripe_event_handle(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
        return Response(result)
