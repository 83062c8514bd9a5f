"""The playtest's player for the catcher (`BOT`): real mouse input, reading `GF_DEBUG.observe()`."""

from __future__ import annotations

from generation.playtest import RealtimeBot

CELL = 8.0  # pixels between the basket positions the plan considers
FRAME_S = 1 / 60  # a mouse move is read by the game's next frame
NOWHERE = None


class CatcherBot(RealtimeBot):
    """Each frame, plans over every thing already falling (`plan_catch`, the validator's search over
    what is in sight) and points the mouse at the plan's next move.

    The greedy look at the next 1.6 s it replaced caught about half of what a perfect player can,
    and the first level's target is half of that: it failed 5 of 10 first levels it was not tuned on
    (this plan: 18 of 18, in about three quarters of the play time).
    """

    MARGIN = 10  # keeps this much further from a bad thing than the game's reach
    SAFE = 8  # catches a good thing only this far inside the reach
    heading: float | None = None  # where the mouse was last sent (the basket heads there meanwhile)

    def probe(self) -> bool:
        obs = self.s.observe()
        ox, oy = obs["origin"]
        target = obs["basket"] - 120 if obs["basket"] > obs["width"] / 2 else obs["basket"] + 120
        self.s.move(ox + target, oy + obs["y"])
        self.actions += 1
        self.s.wait(200)
        return abs(self.s.observe()["basket"] - obs["basket"]) > 10

    def act(self, obs: dict) -> None:
        ox, oy = obs["origin"]
        self.heading = self._choose(obs)
        self.s.move(ox + self.heading, oy + obs["y"])
        self.actions += 1
        self.s.wait(10)

    def _choose(self, obs: dict) -> float:
        return plan_catch(
            obs,
            commit=FRAME_S + self.rtt,
            latency=max(0.06, self.lead()),
            margin=self.MARGIN,
            safe=self.SAFE,
            heading=self.heading,
        )


def plan_catch(
    obs: dict,
    *,
    commit: float,
    latency: float,
    margin: float,
    safe: float,
    heading: float | None = None,
) -> float:
    """Where to point the mouse now.

    A mouse position is read by the game between `commit` and `latency` seconds after it is sent;
    until then the basket keeps sliding towards the last one (`heading`; None: it stays). So what
    lands within `commit` is decided already; what lands before `latency` is judged on every place
    the basket may be, whenever the move is read (a good thing counts only if it is caught in all of
    them, a bad one rules the move out if it is touched in any); and from there on the plan goes
    through the landings in time order, as the validator's search does: the most good things with no
    bad one, the basket moving at most `speed * dt` between two landings. Ties go to catches made
    sooner, then to the smaller move.
    """
    half, x, width = obs["half"], obs["basket"], obs["width"]
    speed, reach = obs["speed"], obs["reach"]
    course = x if heading is None else heading
    positions = [half + i * CELL for i in range(int((width - 2 * half) // CELL) + 1)]
    landings = sorted(
        ((obs["y"] - ty) / vy, tx, bool(bad))
        for tx, ty, vy, bad in obs["things"]
        if vy > 0 and ty <= obs["y"]
    )
    near = [landing for landing in landings if commit <= landing[0] < latency]
    far = [landing for landing in landings if landing[0] >= latency]

    def where(t: float, read_at: float, goal: float) -> float:
        at = _slide(x, course, speed * min(t, read_at))
        return _slide(at, goal, speed * (t - read_at)) if t > read_at else at

    # score[c]: (good things caught, how soon) on the best plan whose move now is positions[c], or
    # NOWHERE; first[c]: that move.
    score: list = []
    for goal in positions:
        value = (0, 0.0)
        for t, tx, bad in near:
            a, b = where(t, commit, goal), where(t, latency, goal)
            nearest = 0.0 if min(a, b) <= tx <= max(a, b) else min(abs(tx - a), abs(tx - b))
            if bad and nearest < reach + margin:
                value = NOWHERE
                break
            if not bad and max(abs(tx - a), abs(tx - b)) <= reach - safe:
                value = (value[0] + 1, value[1] + 1 / (0.3 + t))
        score.append(value)
    first = list(range(len(positions)))
    settled = _slide(x, course, speed * latency)
    now = latency
    for index, (t, tx, bad) in enumerate(far):
        if index == 0:  # the basket heads for the move, and is there if it can be in time
            reach_now = speed * (t - latency) + CELL / 2
            after = [
                v if abs(p - settled) <= reach_now else NOWHERE for v, p in zip(score, positions, strict=True)
            ]
        else:
            after, first = _dilate(score, first, int(speed * (t - now) // CELL))
        now = t
        landed = []
        for c, p in enumerate(positions):
            value = after[c]
            gap = abs(tx - p)
            if value is None or (bad and gap < reach + margin):
                landed.append(NOWHERE)
            elif not bad and gap <= reach - safe:
                landed.append((value[0] + 1, value[1] + 1 / (0.3 + t)))
            else:
                landed.append(value)
        # no plan avoids this bad one: plan past it as if it were not there
        score = landed if any(v is not None for v in landed) else after
    choices = [c for c in range(len(positions)) if score[c] is not None]
    if not choices:
        return course
    rest = width / 2 if not far else course  # with nothing to plan for, wait in the middle
    best = max(choices, key=lambda c: (score[c], -abs(positions[first[c]] - rest)))
    return positions[first[best]]


def _slide(at: float, goal: float, distance: float) -> float:
    return at + max(-distance, min(distance, goal - at))


def _dilate(score: list, first: list, cells: int) -> tuple[list, list]:
    """Where the basket can be `cells` positions later: each position takes the best plan within reach."""
    n = len(score)
    if cells <= 0:
        return list(score), list(first)
    out, out_first = [None] * n, list(first)
    for c in range(n):
        best = None
        for d in range(max(0, c - cells), min(n, c + cells + 1)):
            if score[d] is not None and (best is None or score[d] > score[best]):
                best = d
        if best is not None:
            out[c], out_first[c] = score[best], first[best]
    return out, out_first


BOT = CatcherBot
