"""The seed's moderation API: reports, the moderators' review of them, content scans; and appeals."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from gamefactory.api.pagination import PageNumberPagination
from gamefactory.api.throttles import PerUserScopedThrottle
from gamefactory.errors import ApplicationError
from moderation import selectors, services
from moderation import serializers as s
from moderation.scanner import scan_text


class ReportThrottle(PerUserScopedThrottle):
    """Report spam: reports per person per hour."""

    scope = "reports"


class ContentScanThrottle(PerUserScopedThrottle):
    scope = "content_scan"


class IsModerator(permissions.BasePermission):
    """Moderators (`User.role == moderator`) and staff."""

    message = "Only moderators and staff can use this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_moderator)


class ReportsApi(APIView):
    # Documents the list as {count, next, previous, results} in the schema.
    pagination_class = PageNumberPagination
    permission_classes = [permissions.IsAuthenticated]

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.request.method == "POST":
            throttles.append(ReportThrottle())
        return throttles

    @extend_schema(request=s.ReportInput, responses={201: s.ReportOutput}, tags=["moderation"])
    def post(self, request):
        """Report a game, a version, a user, a chat message or a listing."""
        data = s.ReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_create(reporter=request.user, **data.validated_data)
        return Response(s.ReportOutput(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.ReportOutput(many=True)}, tags=["moderation"])
    def get(self, request):
        """What you reported, newest first, with what became of it."""
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.reports_of(user=request.user), request, view=self)
        return paginator.get_paginated_response(s.ReportOutput(page, many=True).data)


class AdminReportsApi(APIView):
    # Documents the list as {count, next, previous, results} in the schema.
    pagination_class = PageNumberPagination
    permission_classes = [IsModerator]

    @extend_schema(
        parameters=[s.AdminReportQuery, OpenApiParameter("page", int), OpenApiParameter("page_size", int)],
        responses={200: s.AdminReportOutput(many=True)},
        tags=["moderation"],
    )
    def get(self, request):
        """Reports, oldest first, with their case (held, how many reported it, scanner labels)."""
        query = s.AdminReportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.reports_list(**query.validated_data), request, view=self)
        return paginator.get_paginated_response(s.AdminReportOutput(page, many=True).data)


class AdminReportDetailApi(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=s.DecideInput, responses={200: s.DecisionOutput}, tags=["moderation"])
    def put(self, request, report_id):
        """Decide a report (and every open report on the same item): dismiss, hide, delete or suspend.

        409 when the report was already decided (by you or another moderator)."""
        report = selectors.report_get(report_id=report_id)
        data = s.DecideInput(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.report_decide(report=report, moderator=request.user, **data.validated_data)
        return Response(s.DecisionOutput(decision).data)


class ContentScanApi(APIView):
    permission_classes = [IsModerator]
    throttle_classes = [*APIView.throttle_classes, ContentScanThrottle]

    @extend_schema(request=s.ScanInput, responses={200: s.ScanOutput}, tags=["moderation"])
    def post(self, request):
        """Scan a text (as `kind`), or a game's words: labels, scores and the verdict."""
        data = s.ScanInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "text" in values:
            result = scan_text(kind=values["kind"], text=values["text"])
            services.scan_record(result=result, text=values["text"], field="api", user=request.user)
            return Response(_scan_out(result))
        return Response(_scan_game(values["game_id"], user=request.user))


def _scan_out(result, parts=None) -> dict:
    out = {
        "action": result.action,
        "labels": list(result.labels),
        "scores": result.scores,
        "reason": result.reason,
        "engines": list(result.engines),
        "duration_us": result.duration_us,
    }
    if parts is not None:
        out["parts"] = parts
    return out


def _scan_game(game_id, *, user) -> dict:
    from games.models import Game
    from games.services import spec_words

    game = Game.objects.select_related("current_version").filter(pk=game_id).first()
    if game is None:
        raise ApplicationError.for_field("game_id", "No such game.", code="not_found", status=404)
    texts = [("title", game.title), ("description", game.description), ("upload", spec_words(game.spec))]
    results = [(kind, scan_text(kind=kind, text=text)) for kind, text in texts if text]
    order = {"allow": 0, "hold": 1, "refuse": 2}
    worst = (
        max((r for _, r in results), key=lambda r: order[r.action])
        if results
        else scan_text(kind="title", text="")
    )
    scores: dict[str, float] = {}
    for _, result in results:
        for label, score in result.scores.items():
            scores[label] = max(scores.get(label, 0.0), score)
    labels = tuple(dict.fromkeys(label for _, r in results for label in r.labels))
    parts = [
        {"kind": kind, "action": r.action, "labels": list(r.labels), "reason": r.reason}
        for kind, r in results
    ]
    for kind, result in results:
        services.scan_record(result=result, text=dict(texts)[kind], field=f"game:{game.pk}", user=user)
    combined = type(worst)(
        kind="game",
        action=worst.action,
        scores=scores,
        labels=labels,
        reason=worst.reason,
        engines=worst.engines,
        duration_us=sum(r.duration_us for _, r in results),
    )
    return _scan_out(combined, parts)


class AppealsApi(APIView):
    # Documents the list as {count, next, previous, results} in the schema.
    pagination_class = PageNumberPagination
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: s.AppealOutput(many=True)}, tags=["moderation"])
    def get(self, request):
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.appeals_of(user=request.user), request, view=self)
        return paginator.get_paginated_response(s.AppealOutput(page, many=True).data)

    @extend_schema(request=s.AppealInput, responses={201: s.AppealOutput}, tags=["moderation"])
    def post(self, request):
        """Appeal a decision on your content, once, saying why."""
        data = s.AppealInput(data=request.data)
        data.is_valid(raise_exception=True)
        decision = selectors.decision_of_creator(
            user=request.user, decision_id=data.validated_data["decision_id"]
        )
        appeal = services.appeal_create(
            decision=decision, user=request.user, text=data.validated_data["text"]
        )
        return Response(s.AppealOutput(appeal).data, status=status.HTTP_201_CREATED)
