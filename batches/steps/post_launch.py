"""Step 12, post-launch: the game's KPIs against its batch, with recommendations; re-run daily by beat.

At launch there are no numbers yet: the first review says so and lists what to watch. The beat
task `postlaunch_daily_task` re-runs this step once a day for FACTORY_POSTLAUNCH_DAYS days; each
run replaces the previous review's commit.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from batches import collab
from batches.steps.analytics_impl import require_game
from batches.steps.base import Step, StepContext

REPORT = "docs/POSTLAUNCH.md"
KPIS = (
    ("dau", "Daily active players (mean)", "{:.1f}"),
    ("sessions", "Sessions", "{:.0f}"),
    ("session_length_mean_s", "Session length, mean (s)", "{:.0f}"),
    ("retention_d1", "Retention D1", "{:.0%}"),
    ("retention_d7", "Retention D7", "{:.0%}"),
    ("ad_impressions", "Ad impressions", "{:.0f}"),
    ("arpdau_micros", "ARPDAU (USD micros)", "{:.0f}"),
)


def _fmt(value, pattern: str) -> str:
    if value is None:
        return "-"
    try:
        return pattern.format(value)
    except (TypeError, ValueError):
        return str(value)


def recommendations(mine: dict, batch_mean: dict, funnel: list[dict]) -> list[str]:
    out = []
    if not mine.get("sessions"):
        return [
            "No players yet: feature the game in the catalogue and share its page.",
            "Watch the level 1 completion rate first: it decides D1 retention.",
            "Check the ad frequency once there are 50 sessions.",
        ]
    d1, batch_d1 = mine.get("retention_d1"), batch_mean.get("retention_d1")
    if d1 is not None and batch_d1 and d1 < 0.8 * batch_d1:
        out.append(
            f"D1 retention {d1:.0%} trails the batch ({batch_d1:.0%}): shorten the tutorial, ease level 1."
        )
    for level in funnel:
        rate = level.get("success_rate")
        if rate is not None and level.get("starts", 0) >= 20 and rate < 0.4:
            out.append(f"Level {level['level']} is a wall ({rate:.0%} success): lower its difficulty.")
            break
    length, batch_length = mine.get("session_length_mean_s"), batch_mean.get("session_length_mean_s")
    if length and batch_length and length < 0.7 * batch_length:
        out.append("Sessions are short for the batch: add a daily goal or a longer level set.")
    ads = mine.get("ad_impressions") or 0
    if mine.get("sessions") and ads / mine["sessions"] > 6:
        out.append("More than 6 ads per session: space the interstitials out.")
    return out or ["The game tracks its batch: keep the course, review again tomorrow."]


def review_markdown(
    *, spec, game, mine: dict, batch_mean: dict, peers: int, funnel: list[dict], days: int
) -> str:
    rows = [
        f"| {label} | {_fmt(mine.get(key), pattern)} | {_fmt(batch_mean.get(key), pattern)} |"
        for key, label, pattern in KPIS
    ]
    lines = [
        f"# {spec.title}: post-launch review",
        "",
        f"Reviewed {timezone.now():%Y-%m-%d %H:%M} UTC over the last {days} days; compared with the mean of "
        f"{peers} published game(s) of the batch. Game: `{game.slug}`.",
        "",
        "## KPIs",
        "",
        "| KPI | This game | Batch mean |",
        "|---|---|---|",
        *rows,
        "",
        "## Level funnel",
        "",
    ]
    if funnel:
        lines += ["| Level | Starts | Success rate |", "|---|---|---|"]
        lines += [
            f"| {f['level']} | {f.get('starts', 0)} | {_fmt(f.get('success_rate'), '{:.0%}')} |"
            for f in funnel
        ]
    else:
        lines.append("No level played yet.")
    lines += [
        "",
        "## Recommendations",
        "",
        *[f"- {r}" for r in recommendations(mine, batch_mean, funnel)],
        "",
    ]
    return "\n".join(lines)


def _mean(rows: list[dict], key: str):
    values = [r[key] for r in rows if r.get(key) is not None]
    return sum(values) / len(values) if values else None


class PostLaunch(Step):
    number = 12
    slug = "post_launch"
    title = "Post-launch"
    description = "docs/POSTLAUNCH.md: the game's KPIs against its batch, and what to do next."
    reads = ("game/spec.json", "docs/ANALYTICS.md", "VERSION")
    writes = (REPORT,)

    def run(self, ctx: StepContext) -> None:
        spec = ctx.spec()
        game = require_game(ctx)
        from batches.selectors import batch_games

        peers = [g for g in batch_games(batch=ctx.batch) if g.pk != game.pk]
        days = min(settings.FACTORY_POSTLAUNCH_DAYS, 30)
        metrics = collab.metrics_for_games(games=[game, *peers], days=days)
        mine, others = metrics[0], metrics[1:]
        batch_mean = {key: _mean([m["totals"] for m in others], key) for key, _, _ in KPIS}
        ctx.write_text(
            REPORT,
            review_markdown(
                spec=spec,
                game=game,
                mine=mine["totals"],
                batch_mean=batch_mean,
                peers=len(others),
                funnel=mine.get("funnel", []),
                days=days,
            ),
        )
        ctx.log(f"post-launch review of {game.slug} against {len(others)} game(s)")

    def validate(self, ctx: StepContext) -> list[str]:
        problems = self.missing_outputs(ctx)
        if problems:
            return problems
        text = ctx.read_text(REPORT)
        for section in ("## KPIs", "## Recommendations"):
            if section not in text:
                problems.append(f"POSTLAUNCH.md lacks {section[3:]}")
        return problems


STEP = PostLaunch()
