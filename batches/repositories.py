"""Where each game's repository lives: `local` bare repositories or `github` (REPOSITORY_BACKEND).

A backend mirrors the production's staging repository (batches/git.py): `push` makes the
published `main` equal to a staging commit (forced, so a re-run replaces the old commit),
`tag` and `release` publish a version. Every call is idempotent (pushing a commit the remote has is a
no-op, a release is found by its tag and its assets replaced): the push outbox (batches/pushes.py)
calls them again after a failure or a lost worker. They do network I/O: never call them inside a
transaction or while holding a row lock.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from batches import git as gitlib

logger = logging.getLogger(__name__)

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
# A push of a whole game (a few MB) over a slow link; the push outbox's lease outlives it.
PUSH_TIMEOUT = 600


class RepositoryError(RuntimeError):
    """The repository service refused or failed; the step fails and is retried."""


@dataclass(frozen=True)
class RepositoryInfo:
    name: str
    clone_url: str
    web_url: str = ""


class RepositoryBackend(ABC):
    name = ""

    @abstractmethod
    def ensure(self, *, name: str, description: str) -> RepositoryInfo:
        """Create the repository when it does not exist; its clone URL either way."""

    @abstractmethod
    def push(self, *, name: str, staging: Path, sha: str) -> None:
        """Make `main` point at staging commit `sha` (forced)."""

    @abstractmethod
    def tag(self, *, name: str, staging: Path, tag: str) -> None:
        """Publish staging's tag `tag`, replacing an older one of that name."""

    def release(self, *, name: str, tag: str, title: str, body: str, assets: list[Path]) -> str:
        """Publish a release of `tag` with `assets`; its URL ("" when the backend has no releases)."""
        return ""


def _check_name(name: str) -> str:
    if not NAME_RE.match(name):
        raise RepositoryError(f"Not a valid repository name: {name!r}")
    return name


class LocalBackend(RepositoryBackend):
    """A bare git repository per game under REPOSITORIES_DIR; clone it with its path."""

    name = "local"

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root or settings.REPOSITORIES_DIR)

    def path(self, name: str) -> Path:
        return self.root / f"{_check_name(name)}.git"

    def ensure(self, *, name: str, description: str) -> RepositoryInfo:
        path = self.path(name)
        try:
            gitlib.bare_init(path, description=description)
        except (gitlib.GitError, OSError) as exc:
            raise RepositoryError(f"Could not create {path}: {exc}") from exc
        return RepositoryInfo(name=name, clone_url=path.resolve().as_uri())

    def push(self, *, name: str, staging: Path, sha: str) -> None:
        path = self.path(name)
        if not (path / "HEAD").exists():
            raise RepositoryError(f"The repository {name} does not exist.")
        try:
            gitlib.git("push", "--quiet", "--force", str(path), f"{sha}:refs/heads/main", cwd=staging)
            # Browsable over a dumb HTTP server too (git clone http://.../name.git).
            gitlib.git("update-server-info", cwd=path)
        except gitlib.GitError as exc:
            raise RepositoryError(f"Push to {name} failed: {exc}") from exc

    def tag(self, *, name: str, staging: Path, tag: str) -> None:
        path = self.path(name)
        try:
            gitlib.git(
                "push", "--quiet", "--force", str(path), f"refs/tags/{tag}:refs/tags/{tag}", cwd=staging
            )
            gitlib.git("update-server-info", cwd=path)
        except gitlib.GitError as exc:
            raise RepositoryError(f"Tag push to {name} failed: {exc}") from exc


class GitHubBackend(RepositoryBackend):
    """A repository per game in GITHUB_ORG: created and released through the REST API (PyGithub),
    content sent with `git push` over HTTPS with the token (one request per push, whatever its size).

    The token travels in an Authorization header given to git through its environment
    (GIT_CONFIG_*), never in the URL or the command line.
    """

    name = "github"

    def __init__(
        self,
        *,
        token: str | None = None,
        org: str | None = None,
        base_url: str | None = None,
        seconds_between_writes: float | None = None,
    ):
        self.token = token if token is not None else settings.GITHUB_TOKEN
        self.org = org if org is not None else settings.GITHUB_ORG
        self.base_url = base_url or settings.GITHUB_API_URL
        self.seconds_between_writes = (
            settings.GITHUB_SECONDS_BETWEEN_WRITES
            if seconds_between_writes is None
            else seconds_between_writes
        )
        if not self.token or not self.org:
            raise RepositoryError("The github backend needs GITHUB_TOKEN and GITHUB_ORG.")

    def _client(self):
        from github import Auth, Github

        return Github(
            auth=Auth.Token(self.token),
            base_url=self.base_url,
            timeout=30,
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=self.seconds_between_writes or None,
        )

    def _repo(self, name: str):
        from github import GithubException

        try:
            return self._client().get_repo(f"{self.org}/{_check_name(name)}")
        except GithubException as exc:
            raise RepositoryError(f"GitHub: cannot open {self.org}/{name}: {exc.status}") from exc

    def ensure(self, *, name: str, description: str) -> RepositoryInfo:
        from github import GithubException, UnknownObjectException

        client = self._client()
        try:
            try:
                repo = client.get_repo(f"{self.org}/{_check_name(name)}")
            except UnknownObjectException:
                repo = client.get_organization(self.org).create_repo(
                    name,
                    description=description[:300],
                    private=settings.GITHUB_PRIVATE_REPOS,
                    auto_init=False,
                    has_wiki=False,
                )
        except GithubException as exc:
            raise RepositoryError(
                f"GitHub: cannot create {self.org}/{name}: {exc.status} {exc.data}"
            ) from exc
        return RepositoryInfo(name=name, clone_url=repo.clone_url, web_url=repo.html_url)

    def _git_auth(self) -> dict[str, str]:
        basic = base64.b64encode(f"x-access-token:{self.token}".encode()).decode()
        return {
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": "http.extraHeader",
            "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}",
        }

    def _git_push(self, name: str, staging: Path, refspec: str) -> None:
        url = self._repo(name).clone_url
        try:
            gitlib.git(
                "push", "--quiet", "--force", "--no-verify", url, refspec,
                cwd=staging, env=self._git_auth(), timeout=PUSH_TIMEOUT,
            )  # fmt: skip
        except gitlib.GitError as exc:
            raise RepositoryError(f"GitHub push to {self.org}/{name} failed: {exc}") from exc

    def push(self, *, name: str, staging: Path, sha: str) -> None:
        self._git_push(name, staging, f"{sha}:refs/heads/main")

    def tag(self, *, name: str, staging: Path, tag: str) -> None:
        self._git_push(name, staging, f"refs/tags/{tag}:refs/tags/{tag}")

    def release(self, *, name: str, tag: str, title: str, body: str, assets: list[Path]) -> str:
        from github import GithubException, UnknownObjectException

        repo = self._repo(name)
        try:
            try:
                release = repo.get_release(tag)
                release.update_release(name=title, message=body)
            except UnknownObjectException:
                release = repo.create_git_release(tag, title, body)
            names = {asset.name: asset for asset in release.get_assets()}
            for path in assets:
                if path.name in names:  # a retried release replaces its asset
                    names[path.name].delete_asset()
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                release.upload_asset(str(path), name=path.name, content_type=content_type)
        except GithubException as exc:
            raise RepositoryError(f"GitHub release {tag} failed: {exc.status} {exc.data}") from exc
        return release.html_url


def backend_get(name: str | None = None) -> RepositoryBackend:
    """The configured backend (REPOSITORY_BACKEND), or the one named."""
    name = name or settings.REPOSITORY_BACKEND
    if name == "local":
        return LocalBackend()
    if name == "github":
        return GitHubBackend()
    raise RepositoryError(f"Unknown REPOSITORY_BACKEND {name!r}: use local or github.")
