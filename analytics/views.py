"""Dashboards: a creator's game, and staff's comparison of a batch (or any set of games).

They read the read replica when there is one (`DATABASE_REPLICA_URL`, gamefactory/db.py).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from analytics import limits, selectors
from gamefactory.db import replica_reading
from games.models import Game


class RangeForm(forms.Form):
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        today = timezone.now().date()
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to - dt.timedelta(days=29)
        if date_from > date_to:
            raise forms.ValidationError("The range ends before it begins.")
        if (date_to - date_from).days >= limits.MAX_METRICS_RANGE_DAYS:
            raise forms.ValidationError(f"At most {limits.MAX_METRICS_RANGE_DAYS} days at once.")
        data["date_from"], data["date_to"] = date_from, date_to
        return data


def _range(request) -> tuple[RangeForm, dt.date, dt.date]:
    form = RangeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    today = timezone.now().date()
    return form, today - dt.timedelta(days=29), today


def _readable_game(request, slug: str) -> Game:
    game = get_object_or_404(Game, slug=slug)
    if not game.can_view(request.user):
        raise Http404
    if not game.can_edit(request.user):
        raise PermissionDenied("Only the game's creator and staff see its numbers.")
    return game


def _chart_data(entry: dict) -> dict:
    days = entry["days"]
    return {
        "dates": [d["date"] for d in days],
        "dau": [d["dau"] for d in days],
        "new_players": [d["new_players"] for d in days],
        "retention_curve": entry.get("retention_curve", []),
        "funnel": entry.get("funnel", []),
        "ad_revenue": [d["ad_revenue_micros"] for d in days],
        "purchase_revenue": [d["purchase_revenue_micros"] for d in days],
        "refunds": [d["refund_micros"] for d in days],
    }


@login_required
@require_GET
@replica_reading
def index(request):
    games = selectors.games_editable(user=request.user)
    return render(request, "analytics/index.html", {"games": games})


@login_required
@require_GET
@replica_reading
def game_dashboard(request, slug):
    game = _readable_game(request, slug)
    form, date_from, date_to = _range(request)
    entry = selectors.metrics_for_game(game=game, date_from=date_from, date_to=date_to)
    context = {
        "game": game,
        "form": form,
        "entry": entry,
        "days_desc": list(reversed(entry["days"])),
        "chart": _chart_data(entry),
        "public_key": selectors.ingest_key_public(game=game),
        "keys": selectors.ingest_key_list(game=game),
        "date_from": date_from,
        "date_to": date_to,
    }
    return render(request, "analytics/game.html", context)


@login_required
@require_GET
@replica_reading
def game_summary(request, slug):
    """The headline numbers alone: htmx refreshes them, so today's live numbers move on the page."""
    game = _readable_game(request, slug)
    _form, date_from, date_to = _range(request)
    entry = selectors.metrics_for_game(
        game=game, date_from=date_from, date_to=date_to, metrics=list(selectors.DAILY_METRICS)
    )
    return render(request, "analytics/_summary.html", {"entry": entry})


@login_required
@require_GET
@replica_reading
def game_live(request, slug):
    """The latest events, refreshed by htmx every few seconds: is the game sending?"""
    game = _readable_game(request, slug)
    now = timezone.now()
    context = {
        "game": game,
        "events": selectors.events_recent(game=game),
        "last_hour": selectors.events_count_since(game=game, since=now - dt.timedelta(hours=1)),
        "now": now,
    }
    return render(request, "analytics/_live.html", context)


@login_required
@require_GET
@replica_reading
def compare(request):
    if not request.user.is_staff:
        raise PermissionDenied("The comparison dashboard is for staff.")
    form, date_from, date_to = _range(request)
    batch = request.GET.get("batch", "").strip()
    refs = [r.strip() for r in request.GET.get("games", "").split(",") if r.strip()]
    error = ""
    games: list[Game] = []
    if batch:
        try:
            games = selectors.games_for_reader(user=request.user, batch_id=uuid.UUID(batch))
        except ValueError:
            error = "The batch id is not a UUID."
    elif refs:
        games = selectors.games_for_reader(user=request.user, game_refs=refs)
    entries = selectors.metrics_for_games(games=games, date_from=date_from, date_to=date_to) if games else []
    chart = {
        "dates": [d["date"] for d in entries[0]["days"]] if entries else [],
        "games": [
            {
                "title": e["game"]["title"],
                "dau": [d["dau"] for d in e["days"]],
                "retention": [
                    e["totals"]["retention_d1"],
                    e["totals"]["retention_d7"],
                    e["totals"]["retention_d30"],
                ],
                "revenue": e["totals"]["revenue_micros"],
                "retention_curve": e["retention_curve"],
            }
            for e in entries
        ],
    }
    context = {
        "form": form,
        "batch": batch,
        "games_param": ",".join(refs),
        "entries": entries,
        "chart": chart,
        "error": error,
        "asked": bool(batch or refs),
        "date_from": date_from,
        "date_to": date_to,
    }
    return render(request, "analytics/compare.html", context)
