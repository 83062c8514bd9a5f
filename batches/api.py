"""The factory API under /api/v1 (staff only): batches, their productions, staff decisions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from batches import limits, selectors, services
from batches.models import Batch, Production, StepRun
from batches.steps import step_title
from gamefactory.api.pagination import PageNumberPagination

# --- input -------------------------------------------------------------------------------------


class BatchCreateInput(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=limits.NAME_MAX_CHARS)
    brief = serializers.CharField(max_length=limits.BRIEF_MAX_CHARS)
    count = serializers.IntegerField(min_value=limits.MIN_GAMES, max_value=limits.MAX_GAMES)
    theme = serializers.CharField(required=False, allow_blank=True, max_length=limits.THEME_MAX_CHARS)
    genres = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=limits.MAX_GENRES
    )
    audience = serializers.CharField(required=False, allow_blank=True, max_length=limits.AUDIENCE_MAX_CHARS)
    provider = serializers.CharField(required=False, default="local", max_length=30)
    allow_repeats = serializers.BooleanField(required=False, default=False)
    seed = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 2)
    faults = serializers.DictField(required=False, help_text="Fault injection by step (staff testing).")


class RerunInput(serializers.Serializer):
    from_step = serializers.IntegerField(min_value=1, max_value=limits.STEP_COUNT)


class EditInput(serializers.Serializer):
    concept = serializers.DictField(required=False)
    faults = serializers.DictField(required=False)


class FaultsInput(serializers.Serializer):
    faults = serializers.DictField(allow_empty=True)


# --- output ------------------------------------------------------------------------------------


class StepRunOutput(serializers.ModelSerializer):
    duration_seconds = serializers.FloatField(read_only=True)

    class Meta:
        model = StepRun
        fields = (
            "id",
            "step",
            "attempt",
            "state",
            "reason",
            "created_at",
            "not_before",
            "started_at",
            "finished_at",
            "deadline",
            "duration_seconds",
            "worker",
            "error",
            "commit_sha",
            "candidate_sha",
            "tokens_in",
            "tokens_out",
            "cost",
            "resolution",
        )


class GameRefOutput(serializers.Serializer):
    id = serializers.UUIDField()
    slug = serializers.CharField()
    title = serializers.CharField()


def _steps(production: Production) -> list[dict]:
    by_step: dict[int, list[StepRun]] = {}
    for run in production.step_runs.all():
        by_step.setdefault(run.step, []).append(run)
    out = []
    for step in range(1, limits.STEP_COUNT + 1):
        runs = by_step.get(step, [])
        out.append(
            {
                "step": step,
                "title": step_title(step),
                "state": runs[-1].state if runs else "todo",
                "attempts": StepRunOutput(runs, many=True).data,
            }
        )
    return out


class ProductionOutput(serializers.ModelSerializer):
    game = GameRefOutput(allow_null=True)
    steps = serializers.SerializerMethodField()

    class Meta:
        model = Production
        fields = (
            "id",
            "batch_id",
            "index",
            "title",
            "label",
            "state",
            "current_step",
            "concept",
            "faults",
            "review_reason",
            "repository_name",
            "repository_url",
            "repository_web_url",
            "game",
            "created_at",
            "started_at",
            "published_at",
            "finished_at",
            "steps",
        )

    def get_steps(self, obj) -> list[dict]:
        return _steps(obj)


class ProductionSummaryOutput(serializers.ModelSerializer):
    class Meta:
        model = Production
        fields = ("id", "index", "title", "label", "state", "current_step", "repository_url", "game_id")


class BatchOutput(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username")
    status = serializers.CharField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Batch
        fields = (
            "id",
            "name",
            "brief",
            "theme",
            "genres",
            "audience",
            "count",
            "provider",
            "allow_repeats",
            "seed",
            "status",
            "progress",
            "created_by",
            "created_at",
            "finished_at",
            "cancelled_at",
        )

    def get_progress(self, obj) -> dict:
        return {
            "published": getattr(obj, "n_published", None),
            "running": getattr(obj, "n_running", None),
            "waiting_review": getattr(obj, "n_review", None),
            "failed": getattr(obj, "n_failed", None),
            "cancelled": getattr(obj, "n_cancelled", None),
        }


class BatchDetailOutput(BatchOutput):
    productions = ProductionOutput(many=True)

    class Meta(BatchOutput.Meta):
        fields = (*BatchOutput.Meta.fields, "productions")


class ArtifactOutput(serializers.Serializer):
    id = serializers.IntegerField()
    step = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    repository_path = serializers.CharField()
    storage_path = serializers.CharField()
    content_hash = serializers.CharField()
    size = serializers.IntegerField()
    step_run_id = serializers.IntegerField()


class ProductionDetailOutput(ProductionOutput):
    artifacts = ArtifactOutput(many=True)

    class Meta(ProductionOutput.Meta):
        fields = (*ProductionOutput.Meta.fields, "artifacts")


# --- views -------------------------------------------------------------------------------------


class StaffApi(APIView):
    permission_classes = [permissions.IsAdminUser]


class BatchListApi(StaffApi):
    # Documents the list as {count, next, previous, results} in the schema.
    pagination_class = PageNumberPagination

    @extend_schema(responses={200: BatchOutput(many=True)}, tags=["factory"])
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.batch_list(), request, view=self)
        return paginator.get_paginated_response(BatchOutput(page, many=True).data)

    @extend_schema(request=BatchCreateInput, responses={201: BatchDetailOutput}, tags=["factory"])
    def post(self, request):
        data = BatchCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.batch_create(created_by=request.user, **data.validated_data)
        return Response(
            BatchDetailOutput(selectors.batch_get(batch_id=batch.pk)).data, status=status.HTTP_201_CREATED
        )


class BatchDetailApi(StaffApi):
    @extend_schema(responses={200: BatchDetailOutput}, tags=["factory"])
    def get(self, request, batch_id):
        return Response(BatchDetailOutput(selectors.batch_get(batch_id=batch_id)).data)


class BatchCancelApi(StaffApi):
    @extend_schema(request=None, responses={200: BatchDetailOutput}, tags=["factory"])
    def post(self, request, batch_id):
        batch = selectors.batch_get(batch_id=batch_id)
        services.batch_cancel(batch=batch, user=request.user)
        return Response(BatchDetailOutput(selectors.batch_get(batch_id=batch_id)).data)


def _production_response(production_id, *, code=status.HTTP_200_OK) -> Response:
    production = selectors.production_get(production_id=production_id)
    return Response(ProductionDetailOutput(production).data, status=code)


class ProductionDetailApi(StaffApi):
    @extend_schema(responses={200: ProductionDetailOutput}, tags=["factory"])
    def get(self, request, production_id):
        return _production_response(production_id)


class ProductionRetryApi(StaffApi):
    @extend_schema(request=None, responses={202: ProductionDetailOutput}, tags=["factory"])
    def post(self, request, production_id):
        production = selectors.production_get(production_id=production_id)
        services.production_retry(production=production, user=request.user)
        return _production_response(production_id, code=status.HTTP_202_ACCEPTED)


class ProductionApproveApi(StaffApi):
    @extend_schema(request=None, responses={202: ProductionDetailOutput}, tags=["factory"])
    def post(self, request, production_id):
        production = selectors.production_get(production_id=production_id)
        services.production_approve(production=production, user=request.user)
        return _production_response(production_id, code=status.HTTP_202_ACCEPTED)


class ProductionRerunApi(StaffApi):
    @extend_schema(request=RerunInput, responses={202: ProductionDetailOutput}, tags=["factory"])
    def post(self, request, production_id):
        data = RerunInput(data=request.data)
        data.is_valid(raise_exception=True)
        production = selectors.production_get(production_id=production_id)
        services.production_rerun(
            production=production, user=request.user, from_step=data.validated_data["from_step"]
        )
        return _production_response(production_id, code=status.HTTP_202_ACCEPTED)


class ProductionEditApi(StaffApi):
    @extend_schema(request=EditInput, responses={202: ProductionDetailOutput}, tags=["factory"])
    def post(self, request, production_id):
        data = EditInput(data=request.data)
        data.is_valid(raise_exception=True)
        production = selectors.production_get(production_id=production_id)
        services.production_edit_and_continue(production=production, user=request.user, **data.validated_data)
        return _production_response(production_id, code=status.HTTP_202_ACCEPTED)


class ProductionCancelApi(StaffApi):
    @extend_schema(request=None, responses={200: ProductionDetailOutput}, tags=["factory"])
    def post(self, request, production_id):
        production = selectors.production_get(production_id=production_id)
        services.production_cancel(production=production, user=request.user)
        return _production_response(production_id)


class ProductionFaultsApi(StaffApi):
    @extend_schema(request=FaultsInput, responses={200: ProductionDetailOutput}, tags=["factory"])
    def put(self, request, production_id):
        data = FaultsInput(data=request.data)
        data.is_valid(raise_exception=True)
        production = selectors.production_get(production_id=production_id)
        services.production_set_faults(
            production=production, user=request.user, faults=data.validated_data["faults"]
        )
        return _production_response(production_id)
