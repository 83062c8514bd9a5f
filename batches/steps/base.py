"""What every step executor is, and the context an attempt runs in.

A step declares the repository paths it `reads` (made by earlier steps) and `writes`, runs in a
workspace checked out at the previous step's commit, and `validate`s its output; the engine
(batches/execution.py) commits, checks, publishes and records the artifacts. Steps never touch
the database rows of the factory: what they learn for the production (title, repository, game)
goes into `ctx.updates`, applied when the attempt completes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from batches import limits
from batches.git import Workspace, sha256_file

# The LLM's custom game logic, when the designer wrote some: checked again at every build.
LOGIC_JS = "game/logic.js"


class StepError(RuntimeError):
    """The step cannot do its work (missing input, a collaborator refused); retried like any failure."""


@dataclass
class StoredFile:
    """A file kept in the default storage (media/S3), not in the repository: builds, screenshots."""

    name: str
    kind: str
    storage_path: str
    content_hash: str
    size: int
    metadata: dict = field(default_factory=dict)


@dataclass
class TagRequest:
    name: str
    message: str
    release_title: str = ""
    release_body: str = ""
    release_assets: list[Path] = field(default_factory=list)


@dataclass
class StepContext:
    production: Any  # batches.models.Production (a snapshot; never saved by a step)
    run: Any  # batches.models.StepRun
    workspace: Workspace
    scratch: Path  # outside the repository, removed with the workspace
    updates: dict = field(default_factory=dict)
    stored: list[StoredFile] = field(default_factory=list)
    tags: list[TagRequest] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    # What run() learnt that validate() checks (a playtest report, a published version).
    results: dict = field(default_factory=dict)
    tokens_in: int = 0
    tokens_out: int = 0
    cost: Decimal = Decimal("0")
    _spec: Any = None

    @property
    def batch(self):
        return self.production.batch

    @property
    def root(self) -> Path:
        return self.workspace.path

    def path(self, rel: str) -> Path:
        """An absolute path inside the workspace; refuses anything that would leave it."""
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            raise StepError(f"Not a repository path: {rel!r}")
        return self.root.joinpath(*pure.parts)

    def exists(self, rel: str) -> bool:
        return self.path(rel).exists()

    def read_text(self, rel: str) -> str:
        try:
            return self.path(rel).read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise StepError(f"{rel} is missing: an earlier step did not make it.") from exc

    def read_json(self, rel: str) -> Any:
        try:
            return json.loads(self.read_text(rel))
        except json.JSONDecodeError as exc:
            raise StepError(f"{rel} is not valid JSON: {exc}") from exc

    def write_text(self, rel: str, text: str) -> Path:
        target = self.path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        return target

    def write_json(self, rel: str, data: Any) -> Path:
        return self.write_text(rel, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))

    def write_bytes(self, rel: str, data: bytes) -> Path:
        target = self.path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return target

    def replace_tree(self, rel: str, source: Path) -> Path:
        """Make folder `rel` an exact copy of `source` (files of an older build are removed)."""
        target = self.path(rel)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target)
        return target

    def store(
        self, name: str, source: Path | bytes, *, kind: str, metadata: dict | None = None
    ) -> StoredFile:
        """Keep a file in the default storage under this attempt's folder; recorded as an artifact."""
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        folder = f"factory/{self.production.pk}/step-{self.run.step:02d}/{self.run.pk}"
        path = default_storage.save(f"{folder}/{name}", ContentFile(data))
        stored = StoredFile(
            name=name,
            kind=kind,
            storage_path=path,
            content_hash=hashlib.sha256(data).hexdigest(),
            size=len(data),
            metadata=metadata or {},
        )
        self.stored.append(stored)
        return stored

    def log(self, message: str) -> None:
        self.lines.append(f"{timezone.now():%H:%M:%S} {message}")

    @property
    def log_text(self) -> str:
        return "\n".join(self.lines)[-limits.LOG_MAX_CHARS :]

    def spec(self):
        """The game's GameSpec (game/spec.json), validated."""
        if self._spec is None:
            from generation.spec import spec_validate

            self._spec = spec_validate(self.read_json("game/spec.json"))
        return self._spec

    def set_spec(self, spec) -> None:
        self._spec = spec
        self.write_text("game/spec.json", json.dumps(spec.model_dump(mode="json"), indent=2, sort_keys=True))

    def logic_js(self) -> str | None:
        """The game's custom logic (game/logic.js, written by pre-production when the LLM made
        one), or None for a game of the mechanic alone."""
        return self.read_text(LOGIC_JS) if self.exists(LOGIC_JS) else None

    def file_hash(self, rel: str) -> str:
        return sha256_file(self.path(rel))


class Step:
    """One of the twelve steps. Subclasses set the class attributes and implement run/validate."""

    number: ClassVar[int]
    slug: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str] = ""
    # The Celery queue its attempts go to: heavy steps delegate to `assets` or `builds`.
    queue: ClassVar[str] = "steps"
    reads: ClassVar[tuple[str, ...]] = ()
    writes: ClassVar[tuple[str, ...]] = ()

    def check_inputs(self, ctx: StepContext) -> None:
        missing = [rel for rel in self.reads if not ctx.exists(rel)]
        if missing:
            raise StepError(f"Inputs missing: {', '.join(missing)} (an earlier step's output).")

    def run(self, ctx: StepContext) -> None:
        raise NotImplementedError

    def validate(self, ctx: StepContext) -> list[str]:
        """Problems with the output; an empty list lets the attempt complete."""
        return self.missing_outputs(ctx)

    def missing_outputs(self, ctx: StepContext) -> list[str]:
        return [f"{rel} was not written." for rel in self.writes if not ctx.exists(rel)]

    def commit_message(self, ctx: StepContext) -> str:
        run = ctx.run
        lines = [
            f"Step {self.number}/{limits.STEP_COUNT}: {self.title}",
            "",
            self.description,
            "",
            f"Production: {ctx.production.pk} ({ctx.production.batch.name} #{ctx.production.index})",
            f"Attempt: {run.attempt}",
        ]
        return "\n".join(line for line in lines if line is not None).strip() + "\n"
