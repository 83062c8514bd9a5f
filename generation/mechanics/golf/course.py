"""The geometry of a mini-golf course and the planner that proves a level can be holed.

Units are cells: the course is COLS x ROWS cells, (0, 0) its top-left corner, a cell (x, y) spans
[x, x + 1] x [y, y + 1]. The scenes scale one cell to their own pixels; nothing here knows them.

What `plan_putts` proves: the ball can be holed in `len(plan)` putts or fewer by *straight* putts
that touch nothing. Every putt goes from where the ball rests to a cell centre (the last one to the
hole's centre) along a segment that keeps the ball clear, by `MARGIN`, of every wall, bumper, the
course's edge, every water cell and the whole region a moving wall ever sweeps; and it is no longer
than a full-power putt rolls. Without gravity a ball that touches nothing rolls in a straight line
and slows by the same damping each physics step, so a putt whose power is chosen for its length
(`speed_for_cells` in scene.js and flame.dart) stops at the segment's end, and one aimed at the hole
reaches it at a crawl, which sinks it. Bank shots off walls and bumpers are left out of the proof
(they exist in the game, so a player may do better than the plan, never worse).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

COLS, ROWS = 9, 15
BALL_R = 0.22  # the ball's radius
HOLE_R = 0.36  # the cup's radius: a slow ball whose centre is inside it drops
BUMPER_R = 0.32  # the round bumpers' radius
MARGIN = 0.1  # room the proof leaves for aim and power that are a pixel off
CLEAR = BALL_R + MARGIN

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle the ball's centre must stay out of (already grown by CLEAR)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def grown(self, by: float) -> Box:
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)


@dataclass(frozen=True)
class Disc:
    """A circle the ball's centre must stay out of (already grown by CLEAR)."""

    x: float
    y: float
    r: float


def centre(cell: tuple[int, int]) -> Point:
    return (cell[0] + 0.5, cell[1] + 0.5)


def find(rows: Sequence[str], char: str) -> list[tuple[int, int]]:
    return [(x, y) for y, row in enumerate(rows) for x, ch in enumerate(row) if ch == char]


def wall_boxes(rows: Sequence[str]) -> list[Box]:
    """The walls ('#') as few boxes: the runs of each row (the scenes build the same bodies)."""
    boxes = []
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if row[x] != "#":
                x += 1
                continue
            start = x
            while x < len(row) and row[x] == "#":
                x += 1
            boxes.append(Box(start, y, x, y + 1))
    return boxes


def mover_sweep(mover) -> Box:
    """Every point a moving wall ever covers: its box stretched along its axis by its travel."""
    w, h = mover.width, mover.height
    if mover.axis == "x":
        return Box(mover.x, mover.y, mover.x + w + mover.travel, mover.y + h)
    return Box(mover.x, mover.y, mover.x + w, mover.y + h + mover.travel)


def obstacles(level) -> tuple[list[Box], list[Disc]]:
    """What a putt of the proof may not touch, grown so that the ball's centre is what is tested."""
    rows = level.rows
    boxes = [box.grown(CLEAR) for box in wall_boxes(rows)]
    boxes += [Box(x, y, x + 1, y + 1).grown(MARGIN) for x, y in find(rows, "~")]  # a centre in water splashes
    boxes += [mover_sweep(m).grown(CLEAR) for m in level.movers]
    discs = [Disc(x + 0.5, y + 0.5, BUMPER_R + CLEAR) for x, y in find(rows, "o")]
    return boxes, discs


def _segment_hits_box(a: Point, b: Point, box: Box) -> bool:
    """Liang-Barsky: does the segment a-b enter the open box?"""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - box.x0), (dx, box.x1 - a[0]), (-dy, a[1] - box.y0), (dy, box.y1 - a[1])):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            if t > t1:
                return False
            t0 = max(t0, t)
        else:
            if t < t0:
                return False
            t1 = min(t1, t)
    return t0 < t1


def _segment_hits_disc(a: Point, b: Point, disc: Disc) -> bool:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((disc.x - a[0]) * dx + (disc.y - a[1]) * dy) / length2))
    px, py = a[0] + t * dx - disc.x, a[1] + t * dy - disc.y
    return px * px + py * py < disc.r * disc.r


def putt_clear(a: Point, b: Point, boxes: Iterable[Box], discs: Iterable[Disc]) -> bool:
    """A straight putt from a to b stays on the course and touches nothing."""
    lo, hi = CLEAR, COLS - CLEAR
    if not (lo <= a[0] <= hi and lo <= b[0] <= hi):
        return False
    if not (CLEAR <= a[1] <= ROWS - CLEAR and CLEAR <= b[1] <= ROWS - CLEAR):
        return False
    x0, x1 = min(a[0], b[0]), max(a[0], b[0])
    y0, y1 = min(a[1], b[1]), max(a[1], b[1])
    for box in boxes:
        if box.x1 <= x0 or box.x0 >= x1 or box.y1 <= y0 or box.y0 >= y1:
            continue  # the segment's bounding box misses the (open) box
        if _segment_hits_box(a, b, box):
            return False
    return not any(_segment_hits_disc(a, b, disc) for disc in discs)


def plan_putts(
    level, max_cells: float, limit: int | None = None, start: Point | None = None
) -> list[Point] | None:
    """The fewest straight putts that hole the ball (their end points, the hole's centre last), or
    None when no plan of at most `limit` putts exists (breadth-first over the cells' centres).
    `start`: where the ball is (default: its tee)."""
    rows = level.rows
    start = start or centre(find(rows, "S")[0])
    hole = centre(find(rows, "H")[0])
    boxes, discs = obstacles(level)
    reach2 = max_cells * max_cells
    spots = [centre((x, y)) for y, row in enumerate(rows) for x, ch in enumerate(row) if ch in ".S"]

    def putt(a: Point, b: Point) -> bool:
        if (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 > reach2:
            return False
        return putt_clear(a, b, boxes, discs)

    if not putt_clear(start, start, boxes, discs):
        return None  # the ball starts inside something
    came: dict[Point, Point | None] = {start: None}
    frontier = deque([start])
    depth = {start: 0}
    while frontier:
        here = frontier.popleft()
        if limit is not None and depth[here] >= limit:
            continue
        if putt(here, hole):
            path = [hole]
            node: Point | None = here
            while node is not None and node != start:
                path.append(node)
                node = came[node]
            return list(reversed(path))
        for spot in spots:
            if spot not in came and putt(here, spot):
                came[spot] = here
                depth[spot] = depth[here] + 1
                frontier.append(spot)
    return None


def putt_aim(a: Point, b: Point, max_cells: float) -> tuple[float, float]:
    """The aim (radians, 0 = right, y down as on screen) and power (0..1) of the putt from a to b."""
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    return angle, min(1.0, math.dist(a, b) / max_cells)
