"""The analytics API: `POST /api/v1/events` (ingestion) and `GET /api/v1/metrics` (reading)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, renderers, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics import ingest, keys, selectors
from gamefactory.api.throttles import client_ip
from gamefactory.db import replica_reading
from gamefactory.errors import ApplicationError
from games.models import Game

KEY_HEADER = "HTTP_X_INGEST_KEY"
SIGNATURE_HEADER = "HTTP_X_INGEST_SIGNATURE"
IMPORT_HEADER = "HTTP_X_INGEST_IMPORT"
ACCEPTED_TYPES = ("application/json", "text/plain")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _error(exc: ApplicationError, headers: dict | None = None) -> JsonResponse:
    response = JsonResponse(exc.as_dict(), status=exc.status_code)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _client_ip(request) -> str:
    return client_ip(request) or "unknown"


def _throttle(key_id, ident: str, scope: str) -> int | None:
    """Fixed window per key and client address; returns the seconds to wait when over the rate."""
    rate = settings.THROTTLE_RATES.get(scope)
    if not rate:
        return None
    count_s, _, unit = rate.partition("/")
    allowed, period = int(count_s), _UNITS[unit[0]]
    window = int(time.time() // period)
    cache_key = f"analytics:{scope}:{key_id}:{ident}:{window}"
    # One round trip in the usual case (the window's counter exists); add only starts a window.
    try:
        used = cache.incr(cache_key)
    except ValueError:
        used = 1 if cache.add(cache_key, 1, period + 1) else cache.incr(cache_key)
    if used > allowed:
        return max(1, int(period - time.time() % period))
    return None


def _origin_allowed(request, origin: str) -> bool:
    allowed = {settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS, *settings.ANALYTICS_ALLOWED_ORIGINS}
    allowed.add(f"{request.scheme}://{request.get_host()}")
    return origin.rstrip("/") in {o.rstrip("/") for o in allowed}


@csrf_exempt
def events_ingest_view(request):
    """Receive one event or a batch; answer 202 with a verdict for every event (analytics/README.md).

    A plain Django view rather than DRF: this is the hot path, and it must read raw bytes (gzip,
    signatures over the body as sent, sendBeacon's text/plain) before anything parses them.
    """
    try:
        return _ingest(request)
    except ApplicationError as exc:
        return _error(exc)


def _ingest(request):
    if request.method != "POST":
        return _error(
            ApplicationError("Send events with POST.", code="method_not_allowed", status=405),
            {"Allow": "POST"},
        )
    public_key = request.META.get(KEY_HEADER) or request.GET.get("key", "")
    if not public_key:
        raise ApplicationError.for_field(
            "key", "An ingest key is required (X-Ingest-Key header or ?key=).", code="missing_key", status=401
        )
    key = selectors.ingest_key_find_cached(public_key=public_key)
    if key is None:
        raise ApplicationError.for_field(
            "key", "This ingest key is not known.", code="invalid_key", status=401
        )
    if key.revoked_at is not None:
        raise ApplicationError.for_field(
            "key", "This ingest key was revoked.", code="key_revoked", status=401
        )
    if not key.is_usable():
        raise ApplicationError.for_field(
            "key", "This ingest key was rotated and has expired.", code="key_expired", status=401
        )
    if key.game.status == Game.Status.DELETED:
        raise ApplicationError("This game no longer takes events.", code="game_unavailable", status=403)

    signature = request.META.get(SIGNATURE_HEADER, "")
    scope = "analytics_ingest_signed" if signature else "analytics_ingest"
    wait = _throttle(key.pk, _client_ip(request), scope)
    if wait is not None:
        exc = ApplicationError(f"Too many requests; try again in {wait} s.", code="throttled", status=429)
        response = _error(exc, {"Retry-After": str(wait)})
        return response

    content_type = request.content_type or ""
    if content_type not in ACCEPTED_TYPES:
        raise ApplicationError.for_field(
            "content_type",
            f"Content-Type {content_type or 'none'!r} is not accepted; send application/json "
            "(or text/plain holding JSON, as navigator.sendBeacon does).",
            code="unsupported_media_type",
            status=415,
        )
    max_body = settings.ANALYTICS_MAX_BODY
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    too_large = ApplicationError(
        f"The body is larger than {max_body} bytes; send smaller batches.",
        code="request_too_large",
        status=413,
    )
    if declared > max_body:
        raise too_large
    body = request.read(max_body + 1)
    if len(body) > max_body:
        raise too_large

    import_mode = request.META.get(IMPORT_HEADER, "") in ("1", "true")
    if signature:
        if not keys.signature_valid(keys.secret_for(key.salt), body, signature):
            raise ApplicationError.for_field(
                "signature",
                "The signature does not match the body (base64 HMAC-SHA256 of the body as sent, with the "
                "game's secret).",
                code="bad_signature",
                status=401,
            )
    else:
        if import_mode:
            raise ApplicationError.for_field(
                "signature",
                "Imports must be signed with the game's secret.",
                code="signature_required",
                status=401,
            )
        origin = request.META.get("HTTP_ORIGIN")
        if origin is not None and not _origin_allowed(request, origin):
            raise ApplicationError(
                f"Origin {origin} may not send with this key.", code="origin_not_allowed", status=403
            )

    result = ingest.events_ingest(
        game_id=key.game_id,
        body=body,
        content_encoding=request.META.get("HTTP_CONTENT_ENCODING", ""),
        import_mode=import_mode,
    )
    return JsonResponse(result.as_dict(), status=202)


# --- metrics --------------------------------------------------------------------------------------


class MetricsInput(serializers.Serializer):
    game = serializers.CharField(required=False, help_text="Game ids or slugs, comma-separated.")
    batch = serializers.UUIDField(required=False, help_text="All games of a factory batch (staff).")
    date_from = serializers.DateField(required=False, help_text="First day (default: 30 days ago).")
    date_to = serializers.DateField(required=False, help_text="Last day (default: today).")
    metrics = serializers.CharField(required=False, help_text="Metric names, comma-separated (default: all).")

    def validate_metrics(self, value):
        names = [n.strip() for n in value.split(",") if n.strip()]
        unknown = [n for n in names if n not in selectors.METRIC_NAMES]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown metric(s): {', '.join(unknown)}. Known: {', '.join(selectors.METRIC_NAMES)}."
            )
        return names

    def validate(self, attrs):
        if not attrs.get("game") and not attrs.get("batch"):
            raise serializers.ValidationError({"game": "Name a game (id or slug) or a batch."})
        if attrs.get("game") and attrs.get("batch"):
            raise serializers.ValidationError({"batch": "Name games or a batch, not both."})
        today = timezone.now().date()
        date_to = attrs.get("date_to") or today
        date_from = attrs.get("date_from") or date_to - dt.timedelta(days=29)
        if date_from > date_to:
            raise serializers.ValidationError({"date_from": "date_from is after date_to."})
        if (date_to - date_from).days >= selectors.limits.MAX_METRICS_RANGE_DAYS:
            raise serializers.ValidationError(
                {"date_to": f"At most {selectors.limits.MAX_METRICS_RANGE_DAYS} days at once."}
            )
        attrs["date_from"], attrs["date_to"] = date_from, date_to
        return attrs


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # CSV bodies are built by the view; errors are switched back to JSON in handle_exception.
        return data if isinstance(data, str | bytes) else json.dumps(data).encode()


def metrics_csv(entries: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    names = [m for m in selectors.DAILY_METRICS if entries and m in entries[0]["days"][0]] if entries else []
    writer.writerow(["game_id", "game_slug", "timezone", "date", *names])
    for entry in entries:
        for day in entry["days"]:
            writer.writerow(
                [entry["game"]["id"], entry["game"]["slug"], entry["timezone"], day["date"]]
                + ["" if day[n] is None else day[n] for n in names]
            )
    return out.getvalue()


class MetricsApi(APIView):
    """Daily numbers of one or more games (JSON, or CSV with `?format=csv`)."""

    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]

    def handle_exception(self, exc):
        # Errors keep the API's JSON shape even when CSV was asked for.
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return super().handle_exception(exc)

    @extend_schema(
        parameters=[
            MetricsInput,
            OpenApiParameter(
                "format", str, enum=["json", "csv"], description="csv: one row per game and day"
            ),
        ],
        responses={200: OpenApiTypes.OBJECT},
        tags=["analytics"],
    )
    @method_decorator(replica_reading)  # the read replica when there is one (gamefactory/db.py)
    def get(self, request):
        data = MetricsInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        if params.get("batch") and not request.user.is_staff:
            raise ApplicationError("Only staff read a batch's numbers.", code="permission_denied", status=403)
        refs = [r.strip() for r in params.get("game", "").split(",") if r.strip()]
        games = selectors.games_for_reader(user=request.user, game_refs=refs, batch_id=params.get("batch"))
        if not games:
            raise ApplicationError.for_field(
                "batch" if params.get("batch") else "game",
                "No game here whose numbers you may read.",
                code="not_found",
                status=404,
            )
        entries = selectors.metrics_for_games(
            games=games,
            date_from=params["date_from"],
            date_to=params["date_to"],
            metrics=params.get("metrics"),
        )
        if request.accepted_renderer.format == "csv":
            response = HttpResponse(metrics_csv(entries), content_type="text/csv; charset=utf-8")
            stamp = f"{params['date_from']:%Y%m%d}-{params['date_to']:%Y%m%d}"
            response["Content-Disposition"] = f'attachment; filename="metrics-{stamp}.csv"'
            return response
        return Response(
            {
                "from": params["date_from"].isoformat(),
                "to": params["date_to"].isoformat(),
                "money": "USD micros (1 USD = 1,000,000)",
                "games": entries,
            }
        )
