"""Step 11, release: a versioned web build (zip), a tag (and a GitHub release), the game in the catalogue."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from batches import collab, limits
from batches.steps.analytics_impl import provenance_of
from batches.steps.base import Step, StepContext, TagRequest

CHANGELOG = "CHANGELOG.md"
VERSION_FILE = "VERSION"
# Fixed timestamps: the same web/ gives the same zip, byte for byte.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)


def web_zip(folder: Path, *, prefix: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{prefix}/{path.relative_to(folder).as_posix()}", date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return out.getvalue()


class Release(Step):
    number = 11
    slug = "release"
    title = "Release"
    description = "Version 1.0.0: web zip, tag, release notes, and the game published into the catalogue."
    reads = ("game/spec.json", "web/index.html", "docs/TEST_REPORT.md", "docs/test/playtest.json")
    writes = (CHANGELOG, VERSION_FILE)

    def run(self, ctx: StepContext) -> None:
        spec = ctx.spec()
        production = ctx.production
        version = limits.RELEASE_VERSION
        tag = f"v{version}"
        zip_name = f"{spec.slug}-{tag}-web.zip"
        archive = web_zip(ctx.path("web"), prefix=f"{spec.slug}-{tag}")
        stored = ctx.store(zip_name, archive, kind="build", metadata={"version": version, "tag": tag})
        notes = (
            f"# {spec.title} {version}\n\nFirst release by the GameFactory: {len(spec.levels)} levels of "
            f"{spec.mechanic} in {spec.theme.setting}.\n\n- Web build: `{zip_name}` (open index.html)\n"
            f"- Mobile: Flutter + Flame project in `mobile/`\n- Test report: docs/TEST_REPORT.md\n"
        )
        ctx.write_text(CHANGELOG, notes)
        ctx.write_text(VERSION_FILE, version)
        # What players will read is content-checked before anything is built: a refusal fails the
        # step with the reason; a hold publishes the game out of view, queued for a moderator.
        verdicts = _content_checks(spec=spec, user=production.batch.created_by)
        # The catalogue's copy: the same game without Phaser (the platform serves its own).
        bundle = ctx.scratch / "catalogue"
        collab.bundle_build(spec=spec, out_dir=bundle, include_phaser=False, logic_js=ctx.logic_js())
        playtest = ctx.read_json("docs/test/playtest.json")
        game = collab.game_for_production(production=production)
        published = collab.game_publish(
            creator=production.batch.created_by,
            spec=spec.model_dump(mode="json"),
            origin="factory",
            provenance={
                **provenance_of(production),
                "repository": production.repository_url,
                "version": version,
            },
            bundle_dir=bundle,
            changelog=notes,
            game=game,
            playtest=playtest,
            is_public=True,
            content_verdicts=verdicts,
        )
        if not published.game.is_public:
            from games.services import game_publish_draft

            game_publish_draft(game=published.game, user=production.batch.created_by)
        ctx.updates["game_id"] = published.game_id
        ctx.results["version"] = published
        ctx.tags.append(
            TagRequest(
                name=tag,
                message=f"{spec.title} {version}",
                release_title=f"{spec.title} {version}",
                release_body=notes,
                release_assets=[stored.name],
            )
        )
        ctx.log(
            f"published {published.game.slug} version {published.number}; tag {tag}; {zip_name} ({len(archive)} bytes)"
        )

    def validate(self, ctx: StepContext) -> list[str]:
        problems = self.missing_outputs(ctx)
        version = ctx.results.get("version")
        if version is None:
            problems.append("The game was not published into the catalogue")
        else:
            game = version.game
            game.refresh_from_db()
            if not game.is_public or game.current_version_id != version.pk:
                problems.append("The published version is not the game's current public version")
        if not any(s.kind == "build" and s.name.endswith("-web.zip") for s in ctx.stored):
            problems.append("No web zip was built")
        if not ctx.tags:
            problems.append("No release tag")
        return problems


def _content_checks(*, spec, user) -> list:
    from gamefactory.content import content_check
    from games.services import spec_words

    checks = [
        ("title", "title", spec.title),
        ("description", "description", spec.description),
        ("upload", "spec", spec_words(spec.model_dump(mode="json"))),
    ]
    return [
        content_check(kind=kind, text=text, field=field, user=user) for kind, field, text in checks if text
    ]


STEP = Release()
