"""The git CLI, the factory's staging repositories and per-attempt workspaces.

Every production has a bare *staging* repository under `FACTORY_DIR/staging`: the factory's own
record of the step commits (the published repository of the backend mirrors it from step 2 on).
Each attempt works in a fresh *workspace* cloned from staging at the previous step's commit, so a
retried or re-run step always starts from the same tree and its commit replaces, never stacks.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

AUTHOR_NAME = "GameFactory"
AUTHOR_EMAIL = "factory@gamefactory.local"
GIT_TIMEOUT = 120


class GitError(RuntimeError):
    pass


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME=AUTHOR_NAME,
        GIT_AUTHOR_EMAIL=AUTHOR_EMAIL,
        GIT_COMMITTER_NAME=AUTHOR_NAME,
        GIT_COMMITTER_EMAIL=AUTHOR_EMAIL,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        HOME=str(settings.FACTORY_DIR),
        LC_ALL="C",
    )
    env.update(extra or {})
    return env


def git(
    *args: str,
    cwd: Path | str | None = None,
    input: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = GIT_TIMEOUT,
) -> str:
    """Run git; its stdout as text, or GitError with stderr. `env` adds variables (never argv: secrets)."""
    cmd = [
        "git",
        "-c", "init.defaultBranch=main",
        "-c", "commit.gpgsign=false",
        "-c", "tag.gpgsign=false",
        "-c", "protocol.file.allow=always",
        "-c", "core.autocrlf=false",
        *args,
    ]  # fmt: skip
    try:
        done = subprocess.run(
            cmd, cwd=cwd, env=_env(env), input=input, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {args[0]} timed out") from exc
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args[:3])}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout.decode(errors="replace")


def git_bytes(*args: str, cwd: Path | str) -> bytes:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=_env(), capture_output=True, timeout=GIT_TIMEOUT, check=False
    )
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args[:3])}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def bare_init(path: Path, *, description: str = "") -> Path:
    """A bare repository at `path` (made if missing); safe to call again."""
    if not (path / "HEAD").exists():
        path.mkdir(parents=True, exist_ok=True)
        git("init", "--quiet", "--bare", str(path))
        # Lets a workspace fetch any commit by id, reachable from a branch or not.
        git("config", "uploadpack.allowAnySHA1InWant", "true", cwd=path)
    if description:
        (path / "description").write_text(description.strip() + "\n")
    return path


def staging_path(production_id) -> Path:
    return Path(settings.FACTORY_DIR) / "staging" / f"{production_id}.git"


def staging_ensure(production_id) -> Path:
    return bare_init(staging_path(production_id))


def commit_list(repo: Path, ref: str = "refs/heads/main") -> list[dict]:
    """Commits reachable from `ref`, newest first: sha, subject."""
    try:
        out = git("log", "--first-parent", "--format=%H%x09%s", ref, cwd=repo)
    except GitError:
        return []
    rows = []
    for line in out.splitlines():
        sha, _, subject = line.partition("\t")
        rows.append({"sha": sha, "subject": subject})
    return rows


def file_at(repo: Path, sha: str, path: str) -> bytes:
    return git_bytes("show", f"{sha}:{path}", cwd=repo)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Change:
    status: str  # A, M, D
    path: str


class Workspace:
    """A throwaway working tree for one attempt, starting at `base_sha` (or empty for step 1)."""

    def __init__(self, path: Path, staging: Path, base_sha: str | None) -> None:
        self.path = path
        self.staging = staging
        self.base_sha = base_sha or None
        self.head_sha: str | None = None

    @classmethod
    def open(cls, *, production_id, run_id, base_sha: str | None) -> Workspace:
        staging = staging_ensure(production_id)
        path = work_path(production_id, run_id)
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True)
        git("init", "--quiet", cwd=path)
        if base_sha:
            # Borrow staging's objects instead of fetching them: a fetch packs and unpacks the whole
            # tree (sprites, the Flutter project) for every attempt of every step. The workspace
            # writes its own commit into its own objects, and push_staging copies it back, so
            # staging never depends on a workspace; the base stays reachable from staging's refs.
            alternates = path / ".git" / "objects" / "info" / "alternates"
            alternates.write_text(f"{(staging / 'objects').resolve()}\n")
            git("reset", "--quiet", "--hard", base_sha, cwd=path)
        return cls(path, staging, base_sha)

    def commit(self, message: str) -> str:
        git("add", "--all", cwd=self.path)
        git("commit", "--quiet", "--allow-empty", "--no-verify", "-m", message, cwd=self.path)
        self.head_sha = git("rev-parse", "HEAD", cwd=self.path).strip()
        return self.head_sha

    def changes(self) -> list[Change]:
        """What the commit changed against the base (everything when there is no base)."""
        if self.head_sha is None:
            return []
        if self.base_sha:
            out = git("diff", "--name-status", "--no-renames", self.base_sha, self.head_sha, cwd=self.path)
        else:
            out = git("show", "--name-status", "--format=", "--no-renames", self.head_sha, cwd=self.path)
        changes = []
        for line in out.splitlines():
            if not line.strip():
                continue
            status, _, name = line.partition("\t")
            changes.append(Change(status[:1], name))
        return changes

    def push_staging(self, ref: str) -> None:
        """Store the commit in staging under `ref` (forced: a re-run replaces)."""
        git("push", "--quiet", "--force", str(self.staging), f"{self.head_sha}:{ref}", cwd=self.path)

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.path.parent.rmdir()


def work_path(production_id, run_id) -> Path:
    return Path(settings.FACTORY_DIR) / "work" / str(production_id) / str(run_id)


def staging_set_main(production_id, sha: str, *, run_id) -> None:
    """Point staging's main at `sha` and keep the commit reachable under the run's ref."""
    staging = staging_ensure(production_id)
    git("update-ref", "refs/heads/main", sha, cwd=staging)
    git("update-ref", f"refs/factory/runs/{run_id}", sha, cwd=staging)


def staging_tag(production_id, *, name: str, sha: str, message: str) -> None:
    staging = staging_ensure(production_id)
    git("tag", "--force", "--annotate", "-m", message, name, sha, cwd=staging)
