"""Mini golf in real Chromium: the validator's proof holds in Matter.js, and a putt stops where its power says."""

import math
import random

import pytest

from generation.bundle import bundle_build
from generation.designer import spec_from_prompt
from generation.mechanics.golf import GolfParams, generate_levels
from generation.mechanics.golf.course import COLS, ROWS
from generation.playtest import playtest_run, serve_bundle
from generation.spec import spec_validate

pytestmark = pytest.mark.e2e


def _golf_spec(levels: list[dict]):
    data = spec_from_prompt(prompt="mini golf", mechanic="golf").model_dump(mode="json")
    data["levels"] = levels + data["levels"][len(levels) :]
    return spec_validate(data)


def test_the_bot_holes_the_hardest_course_in_its_par_with_the_proofs_putts(tmp_path):
    # given the hardest course the generator makes (barriers, bumpers, water, a moving wall) as level 1
    hard = generate_levels(rng=random.Random(5), count=2, difficulty=[1.0, 1.0], params=GolfParams())[1]
    assert hard.movers
    bundle = bundle_build(spec=_golf_spec([hard.model_dump(mode="json")]), out_dir=tmp_path / "b")
    # when the bot plays the validator's plan, one real drag per straight putt
    report = playtest_run(bundle_dir=bundle.path)
    # then Matter.js rolls every putt as the proof says: holed in par, nothing splashed
    assert report.passed and report.level_completed, report.failures
    assert report.events_seen["putt"] == hard.par
    assert "ball_splashed" not in report.events_seen


def test_a_putt_rolls_the_cells_its_power_says(tmp_path, browser):
    # given an open course, the ball on its tee
    rows = ["." * COLS] * ROWS
    rows[1], rows[ROWS - 2] = "....H....", "S........"
    spec = _golf_spec([{"rows": rows, "movers": [], "shots": 12, "par": 2}])
    bundle = bundle_build(spec=spec, out_dir=tmp_path / "b")
    rolled = []
    with serve_bundle(bundle.path) as base:
        page = browser.new_page(viewport={"width": 540, "height": 960})
        page.goto(f"{base}/bundle/index.html")
        page.wait_for_function("() => window.GF_DEBUG && GF_DEBUG.status === 'title'")
        page.mouse.click(270, 480)
        page.wait_for_function("() => GF_DEBUG.status === 'playing'")
        # when it is pulled back by 30% and 70% of a full pull, up and to the right
        for power, angle in ((0.3, -math.pi / 2), (0.7, -0.9)):
            page.wait_for_function("() => GF_DEBUG.observe().ready")
            before = page.evaluate("() => GF_DEBUG.observe()")
            half = power * before["pull"] / 2
            dx, dy = math.cos(angle) * half, math.sin(angle) * half
            page.mouse.move(270 + dx, 480 + dy)
            page.mouse.down()
            page.mouse.move(270 - dx, 480 - dy)
            page.mouse.up()
            page.wait_for_function("() => GF_DEBUG.observe().rolling")
            page.wait_for_function("() => GF_DEBUG.observe().ready", timeout=10000)
            after = page.evaluate("() => GF_DEBUG.observe()")
            rolled.append(
                (
                    math.dist(before["ball"], after["ball"]) / after["cell"],
                    after["strokes"],
                    before["max_putt"],
                )
            )
        page.close()
    # then each rolled power x a full putt's cells, within the proof's margin of a tenth of a cell
    (first, strokes1, full), (second, strokes2, _) = rolled
    assert first == pytest.approx(0.3 * full, abs=0.1) and strokes1 == 1
    assert second == pytest.approx(0.7 * full, abs=0.1) and strokes2 == 2
