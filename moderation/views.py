"""Pages: report an item, "My reports", and the appeals page (notices and decisions on your content)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from gamefactory.errors import ApplicationError
from moderation import forms, selectors, services
from moderation.api import ReportThrottle


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def report(request):
    form = forms.ReportForm(request.POST)
    back = _safe_next(request, "/")
    if not form.is_valid():
        messages.error(request, "Choose what is wrong to send a report.")
        return redirect(back)
    if not ReportThrottle().allow_request(request, None):
        messages.error(request, "You have sent many reports in the last hour. Wait a while and try again.")
        return redirect(back)
    data = form.cleaned_data
    try:
        services.report_create(
            reporter=request.user,
            content_type=data["content_type"],
            content_id=data["content_id"],
            reason=data["reason"],
            details=data["details"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Thank you: your report is in. A moderator will look at it.")
        if not selectors.item_visible_to(
            content_type=data["content_type"], content_id=data["content_id"], user=request.user
        ):
            # Reports hid it (enough people reported it): its page is gone for the reporter too.
            return redirect("home")
    return redirect(back)


@login_required
@require_GET
def my_reports(request):
    page = Paginator(selectors.reports_of(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "moderation/my_reports.html", {"page": page})


@login_required
@require_GET
def appeals(request):
    decisions = list(selectors.decisions_of_creator(user=request.user)[:50])
    latest: dict = {}
    for decision in decisions:
        latest.setdefault(decision.case_id, decision.pk)
        decision.appeal_form = forms.AppealForm(auto_id=f"id_appeal_{decision.pk.hex[:8]}_%s")
    return render(
        request,
        "moderation/appeals.html",
        {
            "notices": selectors.notices_of(user=request.user, limit=30),
            "decisions": decisions,
            "latest": set(latest.values()),
            "appeals": list(selectors.appeals_of(user=request.user)[:50]),
        },
    )


@login_required
@require_POST
def appeal(request, decision_id):
    try:
        decision = selectors.decision_of_creator(user=request.user, decision_id=decision_id)
    except ApplicationError:
        raise Http404("No such decision.") from None
    form = forms.AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the decision is wrong to appeal it.")
        return redirect("moderation:appeals")
    try:
        services.appeal_create(decision=decision, user=request.user, text=form.cleaned_data["text"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "Your appeal is in the review queue. We will tell you what a moderator decides."
        )
    return redirect("moderation:appeals")
