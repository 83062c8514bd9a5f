"""End to end, in this process: a game through the twelve steps (real builds, real headless playtests)."""

import json
import subprocess
import zipfile

import pytest
import yaml
from django.core.files.storage import default_storage

from batches import git as gitlib
from batches.models import Artifact, Production, RepositoryPush, StepRun
from batches.steps import STEPS
from games.models import Game
from generation.designer import design_from_prompt
from tests.batches.github_fake import TOKEN, FakeGitHub

pytestmark = pytest.mark.django_db


def test_a_game_goes_through_the_twelve_steps_into_its_repository_and_the_catalogue(
    factory, settings, tmp_path
):
    # given
    batch = factory.batch(count=1, genres=["maze"], theme="haunted castle")
    # when
    factory.drain()
    # then: every step completed once, in order
    production = Production.objects.get(batch=batch)
    runs = list(StepRun.objects.filter(production=production).order_by("step", "attempt"))
    assert [(r.step, r.state) for r in runs] == [(s.number, "completed") for s in STEPS], (
        production.review_reason
    )
    assert production.state == "published" and production.label == "PUBLISHED"
    batch.refresh_from_db()
    assert batch.finished_at is not None

    # a repository of twelve step commits, tagged, that a person can clone and play
    repo = settings.REPOSITORIES_DIR / f"{production.repository_name}.git"
    subjects = [c["subject"] for c in reversed(gitlib.commit_list(repo))]
    assert [s.split(":")[0] for s in subjects] == [f"Step {n}/12" for n in range(1, 13)]
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", production.repository_url, str(clone)], check=True)
    for rel in ("web/index.html", "web/vendor/phaser.min.js", "web/manifest.json", "docs/GDD.md",
                "docs/ARCHITECTURE.md", "docs/ANALYTICS.md", "docs/TEST_REPORT.md", "docs/test/screenshot.png",
                "docs/POSTLAUNCH.md", "docs/LEVELS.md", "analytics/taxonomy.json", "mobile/pubspec.yaml",
                "mobile/lib/main.dart", "mobile/lib/mechanics/maze.dart", "mobile/lib/services/analytics_service.dart",
                "mobile/assets/images/sprites.png", ".github/workflows/ci.yml", "assets/store/icon-512.png",
                "CHANGELOG.md", "VERSION", "LICENSE", "CREDITS.md", "LICENSES/noto-emoji-Apache-2.0.txt",
                "web/CREDITS.txt", "web/LICENSES/noto-emoji-Apache-2.0.txt"):  # fmt: skip
        assert (clone / rel).is_file(), rel
    assert "Noto Emoji" in (clone / "CREDITS.md").read_text()  # the cast's pictures are credited
    assert "wireAnalytics(" in (clone / "mobile/lib/main.dart").read_text()
    assert not (clone / "mobile/lib/app.dart").exists()
    pubspec = yaml.safe_load((clone / "mobile/pubspec.yaml").read_text())
    assert {"flame", "firebase_analytics", "google_mobile_ads"} <= set(pubspec["dependencies"])
    assert "PASSED" in (clone / "docs/TEST_REPORT.md").read_text()
    tag = gitlib.git("tag", "--list", cwd=repo).split()
    assert tag == ["v1.0.0"]
    assert gitlib.git("rev-list", "-n", "1", "v1.0.0", cwd=repo).strip() == runs[10].commit_sha

    # the game is public in the catalogue, with its provenance
    game = Game.objects.get(pk=production.game_id)
    assert game.is_public and game.origin == "factory" and game.mechanic == "maze"
    assert game.provenance["batch_id"] == str(batch.pk) and game.provenance["production_id"] == str(
        production.pk
    )
    assert game.current_version is not None

    # artifacts: one set per step, never duplicated; the web zip is stored
    for step in range(1, 13):
        owners = set(
            Artifact.objects.filter(production=production, step=step).values_list("step_run_id", flat=True)
        )
        assert owners == {runs[step - 1].pk}
    build = Artifact.objects.get(production=production, kind="build")
    with default_storage.open(build.storage_path, "rb") as fh:
        names = zipfile.ZipFile(fh).namelist()
    assert any(name.endswith("/index.html") for name in names)
    assert json.loads((clone / "docs/test/playtest.json").read_text())["passed"] is True
    assert runs[0].tokens_in == 0 and runs[0].cost == 0  # the local provider costs nothing


def test_with_the_github_backend_each_game_gets_its_repository_in_the_org(factory, settings):
    # given
    server = FakeGitHub().start()
    settings.REPOSITORY_BACKEND = "github"
    settings.GITHUB_TOKEN = TOKEN
    settings.GITHUB_ORG = server.org
    settings.GITHUB_API_URL = server.base
    settings.GITHUB_SECONDS_BETWEEN_WRITES = 0
    try:
        batch = factory.batch(count=2)
        # when
        factory.drain(until_step=4)
        # then
        for production in batch.productions.all():
            assert production.repository_web_url.startswith("https://github.example/")
            history = server.history(production.repository_name)
            assert [c["message"].split(":")[0] for c in reversed(history)] == [
                f"Step {n}/12" for n in range(1, 5)
            ]
            files = server.files(production.repository_name)
            assert {"README.md", "docs/GDD.md", "docs/ARCHITECTURE.md", "analytics/taxonomy.json"} <= set(
                files
            )
            # pushed with git: the remote's main is the very commit of step 4
            local_four = StepRun.objects.get(production=production, step=4).commit_sha
            assert server.ref(production.repository_name) == local_four
            assert not RepositoryPush.objects.filter(production=production, state="pending").exists()
        assert len(server.repos) == 2
    finally:
        server.stop()


LOGIC = '"use strict";\nconst hooks = {\n  onScore(ctx, points) { return points * 2; },\n};\n'


def test_the_logic_an_llm_wrote_goes_into_the_repository_and_the_catalogue(factory, settings, monkeypatch):
    from batches import collab

    # given: a designer that also writes custom logic (as an LLM provider may)
    design = collab.design

    def design_with_logic(**kwargs):
        result = design(**kwargs)
        result.logic_js = LOGIC
        return result

    monkeypatch.setattr(collab, "design", design_with_logic)
    batch = factory.batch(count=1, genres=["snake"])
    # when the game goes through the factory
    factory.drain()
    # then the checked logic is in the repository's game and web build, and in the catalogue's bundle
    production = Production.objects.get(batch=batch)
    assert production.state == "published", production.review_reason
    repo = settings.REPOSITORIES_DIR / f"{production.repository_name}.git"
    assert "onScore" in gitlib.git("show", "HEAD:game/logic.js", cwd=repo)
    assert "onScore" in gitlib.git("show", "HEAD:web/logic.js", cwd=repo)
    version = Game.objects.get(pk=production.game_id).current_version
    assert "logic.js" in version.manifest
    assert b"onScore" in default_storage.open(f"{version.bundle_path}/logic.js").read()


@pytest.mark.parametrize("mechanic", ["dodger", "maze"])
def test_step_one_records_the_pace_of_level_one_for_the_priorities(factory, mechanic):
    # given a game planned as a dodger (won by lasting level 1's clock) or a maze (the player's pace)
    batch = factory.batch(count=1, genres=[mechanic])
    # when its step 1 designs it
    factory.drain(until_step=1)
    # then the concept holds level 1's pace, read from the designed spec: the dodger's clock, or none
    production = Production.objects.get(batch=batch)
    concept = production.concept
    spec = design_from_prompt(prompt=concept["prompt"], seed=concept["seed"], mechanic=mechanic).spec
    assert spec.slug == concept["slug"]  # the local designer is deterministic: the same design
    expected = float(spec.levels[0].time_limit_s) if mechanic == "dodger" else None
    assert production.concept["mechanic"] == mechanic
    assert production.concept["level_seconds"] == expected
