from django.conf import settings
from rest_framework import serializers

from gamefactory.content import ContentKind
from moderation.models import Appeal, ContentType, Decision, Reason, Report

KINDS = list(ContentKind.__args__)


class ReportInput(serializers.Serializer):
    content_type = serializers.CharField(max_length=40)
    content_id = serializers.CharField(max_length=64)
    reason = serializers.CharField(max_length=100, help_text=f"One of: {', '.join(Reason.values)}.")
    # The length is checked by the service (a clear `too_long` on `details`), not cut here.
    details = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class ReportOutput(serializers.ModelSerializer):
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    item_title = serializers.CharField(source="case.title", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id", "content_type", "content_id", "item_title", "reason", "reason_label", "details", "status",
            "status_label", "reviewed_at", "created_at",
        ]  # fmt: skip


class AdminReportOutput(ReportOutput):
    reporter = serializers.CharField(source="reporter.username", default=None, read_only=True)
    moderator = serializers.CharField(source="moderator.username", default=None, read_only=True)
    case = serializers.SerializerMethodField()

    class Meta(ReportOutput.Meta):
        fields = [*ReportOutput.Meta.fields, "reporter", "moderator", "case"]

    def get_case(self, report) -> dict:
        case = report.case
        return {
            "id": str(case.id),
            "status": case.status,
            "held": case.held,
            "report_count": case.report_count,
            "reasons": case.reason_list,
            "labels": case.label_list,
            "appeal_pending": case.appeal_pending,
            "opened_at": case.opened_at,
        }


class AdminReportQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=Report.Status.choices, required=False)
    content_type = serializers.ChoiceField(choices=ContentType.choices, required=False)


class DecideInput(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[
            Decision.Action.DISMISS,
            Decision.Action.HIDE,
            Decision.Action.DELETE,
            Decision.Action.SUSPEND,
        ]
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DecisionOutput(serializers.ModelSerializer):
    case_id = serializers.UUIDField(read_only=True)
    moderator = serializers.CharField(source="moderator.username", default=None, read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "case_id", "action", "automatic", "moderator", "note", "created_at"]


class ScanInput(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=False, trim_whitespace=False)
    kind = serializers.ChoiceField(choices=KINDS, required=False, default="description")
    game_id = serializers.UUIDField(required=False)

    def validate_text(self, value):
        limit = settings.MODERATION_SCAN_MAX_CHARS
        if len(value) > limit:
            raise serializers.ValidationError(
                f"At most {limit} characters (this is {len(value)}).", code="too_long"
            )
        return value

    def validate(self, data):
        if ("text" in data) == ("game_id" in data):
            raise serializers.ValidationError({"text": ["Send either a text or a game_id."]})
        return data


class ScanOutput(serializers.Serializer):
    action = serializers.CharField()
    labels = serializers.ListField(child=serializers.CharField())
    scores = serializers.DictField(child=serializers.FloatField())
    reason = serializers.CharField()
    engines = serializers.ListField(child=serializers.CharField())
    parts = serializers.ListField(child=serializers.DictField(), required=False)
    duration_us = serializers.IntegerField()


class AppealInput(serializers.Serializer):
    decision_id = serializers.UUIDField()
    text = serializers.CharField(trim_whitespace=False)


class AppealOutput(serializers.ModelSerializer):
    decision_action = serializers.CharField(source="decision.action", read_only=True)
    item_title = serializers.CharField(source="case.title", read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "decision_id",
            "decision_action",
            "item_title",
            "text",
            "status",
            "reviewed_at",
            "created_at",
        ]
