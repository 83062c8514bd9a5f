"""Moderation on other apps' pages, one line each:

- `{% report_button "game" game %}`: the "⚑ Report" button and form (signed-in people, not the owner);
- `{% moderation_notice "game" game %}`: what the owner must know (held for review, taken down, appeal).
"""

from django import template

from moderation import forms, selectors
from moderation.models import Appeal

register = template.Library()


def _base(context, content_type: str, obj, creator) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    creator = creator if creator is not None else getattr(obj, "creator", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "content_type": content_type,
        "obj": obj,
        "user": user,
        "signed_in": signed_in,
        "is_owner": signed_in and creator is not None and creator.pk == user.pk,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request else "/",
    }


@register.inclusion_tag("moderation/_report_button.html", takes_context=True)
def report_button(context, content_type: str, obj, creator=None):
    out = _base(context, content_type, obj, creator)
    if out["signed_in"] and not out["is_owner"]:
        out["already_reported"] = selectors.has_open_report(
            user=out["user"], content_type=content_type, content_id=obj.pk
        )
        out["form"] = forms.ReportForm(
            initial={"content_type": content_type, "content_id": obj.pk, "next": out["next"]},
            auto_id=f"id_report_{content_type}_%s",
        )
    return out


@register.inclusion_tag("moderation/_notice.html", takes_context=True)
def moderation_notice(context, content_type: str, obj, creator=None):
    out = _base(context, content_type, obj, creator)
    if not out["is_owner"]:
        return out
    case = selectors.open_case_for(content_type=content_type, content_id=obj.pk)
    hidden = getattr(obj, "status", "") in ("moderated", "deleted", "suspended")
    decision = selectors.latest_decision_for(content_type=content_type, content_id=obj.pk) if hidden else None
    out.update(
        case=case,
        decision=decision,
        under_review=case is not None and (case.held or case.appeal_pending),
        appeal_pending=case is not None and case.appeal_pending,
        can_appeal=decision is not None
        and decision.is_appealable
        and case is None
        and not Appeal.objects.filter(decision=decision).exists(),
    )
    return out
