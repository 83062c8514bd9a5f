"""Step 2, project setup: the game's own repository, scaffolded for web and mobile (Flutter + Flame)."""

from __future__ import annotations

import re

import yaml

from batches import collab
from batches.repositories import backend_get
from batches.steps.base import Step, StepContext, StepError

FLUTTER_VERSION = "3.24.5"
# On top of the generator's Flame project: the platform services every factory game ships with.
MOBILE_DEPENDENCIES = {"firebase_analytics": "^11.3.3", "google_mobile_ads": "^5.2.0"}
REQUIRED_DEPENDENCIES = ("flame", "firebase_analytics", "google_mobile_ads")

LICENSE = """MIT License

Copyright (c) {year} GameFactory

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

GITIGNORE = """# Flutter / Dart
mobile/.dart_tool/
mobile/.packages
mobile/build/
mobile/.flutter-plugins
mobile/.flutter-plugins-dependencies
mobile/android/.gradle/
mobile/ios/Pods/
*.iml
.idea/
# Secrets stay out of the repository (see README: CI secrets)
mobile/android/app/google-services.json
mobile/ios/Runner/GoogleService-Info.plist
*.keystore
*.jks
.env
# OS
.DS_Store
"""

CI_WORKFLOW = """name: ci

on:
  push:
    branches: [main]
    tags: ["v*"]
  pull_request:

permissions:
  contents: read

env:
  FLUTTER_VERSION: "{flutter}"

jobs:
  analyze-and-test:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: mobile
    steps:
      - uses: actions/checkout@v4
      - uses: subosito/flutter-action@v2
        with:
          flutter-version: ${{{{ env.FLUTTER_VERSION }}}}
          cache: true
      # Platform folders are generated, not committed: fill in what is missing, keep lib/ as is.
      - run: flutter create --no-overwrite --platforms=android,web --project-name {package} .
      - run: flutter pub get
      - run: flutter analyze
      - run: flutter test

  build-web:
    needs: analyze-and-test
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: mobile
    steps:
      - uses: actions/checkout@v4
      - uses: subosito/flutter-action@v2
        with:
          flutter-version: ${{{{ env.FLUTTER_VERSION }}}}
          cache: true
      - run: flutter create --no-overwrite --platforms=android,web --project-name {package} .
      - run: flutter build web --release --dart-define=GF_INGEST_KEY=${{{{ secrets.GF_INGEST_KEY }}}}
      - uses: actions/upload-artifact@v4
        with:
          name: flutter-web
          path: mobile/build/web

  build-android:
    needs: analyze-and-test
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: mobile
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-java@v4
        with:
          distribution: temurin
          java-version: "17"
      - uses: subosito/flutter-action@v2
        with:
          flutter-version: ${{{{ env.FLUTTER_VERSION }}}}
          cache: true
      - run: flutter create --no-overwrite --platforms=android,web --project-name {package} .
      - run: flutter build apk --release --dart-define=GF_INGEST_SECRET=${{{{ secrets.GF_INGEST_SECRET }}}}
      - uses: actions/upload-artifact@v4
        with:
          name: android-apk
          path: mobile/build/app/outputs/flutter-apk/app-release.apk

  deploy-web:
    # The Phaser build in web/ is the playable game: published to GitHub Pages from main.
    if: github.ref == 'refs/heads/main'
    needs: build-web
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/configure-pages@v5
      - uses: actions/upload-pages-artifact@v3
        with:
          path: web
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def pubspec_with(pubspec: str, dependencies: dict[str, str]) -> str:
    """The pubspec with extra dependencies added under `dependencies:` (ones already there are kept)."""
    anchor = "dependencies:\n  flutter:\n    sdk: flutter\n"
    if anchor not in pubspec:
        raise StepError("The generator's pubspec.yaml has no `dependencies: flutter: sdk: flutter` block.")
    missing = "".join(
        f"  {dep}: {version}\n" for dep, version in dependencies.items() if f"\n  {dep}:" not in pubspec
    )
    return pubspec.replace(anchor, anchor + missing, 1)


ANALYSIS_OPTIONS = """include: package:flutter_lints/flutter.yaml

linter:
  rules:
    prefer_const_constructors: true
    avoid_print: true
"""


def package_of(ctx: StepContext) -> str:
    """The Dart package name of the mobile project (from its pubspec.yaml)."""
    return str(yaml.safe_load(ctx.read_text("mobile/pubspec.yaml"))["name"])


def app_class(title: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", title) or ["Game"]
    name = "".join(w[:1].upper() + w[1:] for w in words)
    if name[0].isdigit():
        name = f"Game{name}"
    return f"{name}App"


def repository_name(*, slug: str, production_id) -> str:
    return f"{slug[:60].strip('-')}-{production_id.hex[:8]}"


def readme(*, spec, production, info) -> str:
    return f"""# {spec.title}

{spec.description}

A {spec.genre} game made by the GameFactory (batch "{production.batch.name}", game {production.index} of
{production.batch.count}). Each step of the factory is one commit of this repository.

## Play

- Web: open `web/index.html` in a browser (the Phaser build, no server needed), or serve the folder:
  `python3 -m http.server -d web 8000`.
- Mobile: `cd mobile && flutter create --no-overwrite --platforms=android,ios,web . && flutter run`.

## Layout

| Path | What |
|---|---|
| `docs/` | design (GDD), architecture, analytics, test report, post-launch review |
| `game/` | the GameSpec and level data the builds are made from |
| `web/` | the playable web build (Phaser) |
| `mobile/` | the Flutter + Flame project (Android, iOS, web) |
| `assets/` | sprites, backgrounds, sounds, icons and store art |
| `.github/workflows/ci.yml` | analyze, test, build web and Android, deploy the web build |
| `CREDITS.md`, `LICENSES/` | the cast's pictures: Noto Emoji by Google, Apache-2.0 |

## Secrets

Analytics for the mobile build is signed with the game's ingest secret: set `GF_INGEST_SECRET` (and
`GF_INGEST_KEY`) as repository secrets; they are never committed.

Clone: `git clone {info.clone_url}`
"""


def web_placeholder(spec) -> str:
    return f"""# {spec.title}: web build

The playable build (index.html, runtime, mechanic, spec, assets) is written here by the core
prototype step and rebuilt by the vertical slice and testing steps.
"""


class ProjectSetup(Step):
    number = 2
    slug = "project_setup"
    title = "Project setup"
    description = "The game's repository, scaffolded: README, licence, web/, mobile/ (Flutter + Flame), CI."
    reads = ("game/spec.json", "docs/gdd.json")
    writes = (
        "README.md",
        "LICENSE",
        "CREDITS.md",
        "LICENSES/noto-emoji-Apache-2.0.txt",
        ".gitignore",
        "web/README.md",
        "mobile/pubspec.yaml",
        "mobile/lib/main.dart",
        "mobile/lib/app.dart",
        "mobile/test/widget_test.dart",
        "mobile/analysis_options.yaml",
        "mobile/assets/images/.gitkeep",
        "mobile/assets/audio/sfx/.gitkeep",
        ".github/workflows/ci.yml",
    )

    def run(self, ctx: StepContext) -> None:
        spec = ctx.spec()
        production = ctx.production
        name = production.repository_name or repository_name(slug=spec.slug, production_id=production.pk)
        backend = backend_get()
        info = backend.ensure(name=name, description=f"{spec.title}: {spec.description}")
        ctx.updates.update(
            repository_name=info.name, repository_url=info.clone_url, repository_web_url=info.web_url
        )
        ctx.log(f"repository {info.name} on {backend.name}: {info.clone_url}")
        klass = app_class(spec.title)
        project = collab.mobile_project(spec=spec)
        package = yaml.safe_load(project["pubspec.yaml"])["name"]
        ctx.write_text("README.md", readme(spec=spec, production=production, info=info))
        ctx.write_text("LICENSE", LICENSE.format(year=production.created_at.year))
        # The cast's pictures are Noto Emoji (Apache-2.0): their credit and licence at the root.
        for path, text in collab.cast_credit_files(spec=spec).items():
            ctx.write_text(path, text)
        ctx.write_text(".gitignore", GITIGNORE)
        ctx.write_text("web/README.md", web_placeholder(spec))
        ctx.write_text(
            "mobile/pubspec.yaml", pubspec_with(project["pubspec.yaml"].decode(), MOBILE_DEPENDENCIES)
        )
        ctx.write_text("mobile/analysis_options.yaml", ANALYSIS_OPTIONS)
        # The Dart files come from templates (batches/steps/dart/) rendered by the engine's one
        # Jinja2 environment: the title goes through `dart_string`/`dart_comment`, never an f-string.
        primary = spec.theme.palette.primary.lstrip("#").upper()
        if not re.fullmatch(r"[0-9A-F]{6}", primary):
            raise StepError(f"The palette's primary colour {spec.theme.palette.primary!r} is not #RRGGBB.")
        ctx.write_text("mobile/lib/main.dart", collab.dart_render("main.dart", app_class=klass))
        ctx.write_text(
            "mobile/lib/app.dart",
            collab.dart_render("app.dart", app_class=klass, title=spec.title, primary=primary),
        )
        ctx.write_text(
            "mobile/test/widget_test.dart",
            collab.dart_render("widget_test.dart", package=package, app_class=klass),
        )
        ctx.write_text("mobile/assets/images/.gitkeep", "")
        ctx.write_text("mobile/assets/audio/sfx/.gitkeep", "")
        ctx.write_text(
            ".github/workflows/ci.yml", CI_WORKFLOW.format(flutter=FLUTTER_VERSION, package=package)
        )

    def validate(self, ctx: StepContext) -> list[str]:
        problems = self.missing_outputs(ctx)
        if problems:
            return problems
        if not ctx.production.repository_name and not ctx.updates.get("repository_name"):
            problems.append("No repository was created.")
        try:
            pubspec = yaml.safe_load(ctx.read_text("mobile/pubspec.yaml"))
            deps = pubspec.get("dependencies") or {}
            problems += [f"pubspec.yaml lacks {dep}" for dep in REQUIRED_DEPENDENCIES if dep not in deps]
            if "flutter" not in deps:
                problems.append("pubspec.yaml lacks the flutter SDK dependency")
        except yaml.YAMLError as exc:
            problems.append(f"mobile/pubspec.yaml is not valid YAML: {exc}")
        try:
            workflow = yaml.safe_load(ctx.read_text(".github/workflows/ci.yml"))
            jobs = workflow.get("jobs") or {}
            for job in ("analyze-and-test", "build-web", "build-android", "deploy-web"):
                if job not in jobs:
                    problems.append(f"ci.yml has no {job} job")
            commands = " ".join(
                str(step.get("run", ""))
                for job in jobs.values()
                for step in job.get("steps", [])
                if isinstance(step, dict)
            )
            for command in ("flutter analyze", "flutter test", "flutter build web", "flutter build apk"):
                if command not in commands:
                    problems.append(f"ci.yml never runs `{command}`")
        except yaml.YAMLError as exc:
            problems.append(f".github/workflows/ci.yml is not valid YAML: {exc}")
        return problems


STEP = ProjectSetup()
