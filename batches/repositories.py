"""Where each game's repository lives: `local` bare repositories or `github` (REPOSITORY_BACKEND).

A backend mirrors the production's staging repository (batches/git.py): `push` makes the
published `main` equal to a staging commit (forced, so a re-run replaces the old commit),
`tag` and `release` publish a version. Every call is idempotent: a retried step calls them again.
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
    def push(self, *, name: str, staging: Path, sha: str, refs: dict[str, str]) -> dict[str, str]:
        """Make `main` point at staging commit `sha`; returns the updated local->remote commit map."""

    @abstractmethod
    def tag(
        self, *, name: str, staging: Path, tag: str, sha: str, message: str, refs: dict[str, str]
    ) -> None:
        """Point tag `tag` at commit `sha` (already pushed), replacing an older one."""

    def release(
        self, *, name: str, tag: str, title: str, body: str, assets: list[Path], refs: dict[str, str]
    ) -> str:
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

    def push(self, *, name: str, staging: Path, sha: str, refs: dict[str, str]) -> dict[str, str]:
        path = self.path(name)
        if not (path / "HEAD").exists():
            raise RepositoryError(f"The repository {name} does not exist.")
        try:
            gitlib.git("push", "--quiet", "--force", str(path), f"{sha}:refs/heads/main", cwd=staging)
            # Browsable over a dumb HTTP server too (git clone http://.../name.git).
            gitlib.git("update-server-info", cwd=path)
        except gitlib.GitError as exc:
            raise RepositoryError(f"Push to {name} failed: {exc}") from exc
        return refs

    def tag(
        self, *, name: str, staging: Path, tag: str, sha: str, message: str, refs: dict[str, str]
    ) -> None:
        path = self.path(name)
        try:
            gitlib.git(
                "push", "--quiet", "--force", str(path), f"refs/tags/{tag}:refs/tags/{tag}", cwd=staging
            )
            gitlib.git("update-server-info", cwd=path)
        except gitlib.GitError as exc:
            raise RepositoryError(f"Tag push to {name} failed: {exc}") from exc


class GitHubBackend(RepositoryBackend):
    """A repository per game in GITHUB_ORG, written through the REST API with PyGithub.

    Commits are re-created remotely with the Git Data API (blobs, trees, commits, refs), so a
    push needs nothing but the token; the local->remote commit map is kept by the caller.
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

    def push(self, *, name: str, staging: Path, sha: str, refs: dict[str, str]) -> dict[str, str]:
        from github import GithubException, InputGitAuthor, InputGitTreeElement, UnknownObjectException

        refs = dict(refs)
        # The commits to re-create: first-parent chain from sha back to one already pushed.
        chain: list[str] = []
        cursor: str | None = sha
        while cursor and cursor not in refs:
            chain.append(cursor)
            parents = gitlib.git("rev-list", "--parents", "-n", "1", cursor, cwd=staging).split()[1:]
            cursor = parents[0] if parents else None
        repo = self._repo(name)
        try:
            for local in reversed(chain):
                parents = gitlib.git("rev-list", "--parents", "-n", "1", local, cwd=staging).split()[1:]
                parent_local = parents[0] if parents else None
                elements = []
                for mode, kind, blob, path, deleted in _tree_changes(staging, parent_local, local):
                    if deleted:
                        elements.append(InputGitTreeElement(path, mode, "blob", sha=None))
                        continue
                    content = gitlib.git_bytes("cat-file", "blob", blob, cwd=staging)
                    created = repo.create_git_blob(base64.b64encode(content).decode(), "base64")
                    elements.append(InputGitTreeElement(path, mode, kind, sha=created.sha))
                meta = gitlib.git("show", "-s", "--format=%an%x00%ae%x00%aI%x00%B", local, cwd=staging)
                author_name, author_email, date, message = meta.split("\x00", 3)
                author = InputGitAuthor(author_name, author_email, date)
                if parent_local:
                    parent = repo.get_git_commit(refs[parent_local])
                    tree = repo.create_git_tree(elements, base_tree=parent.tree) if elements else parent.tree
                    commit = repo.create_git_commit(message.strip(), tree, [parent], author, author)
                else:
                    tree = repo.create_git_tree(elements)
                    commit = repo.create_git_commit(message.strip(), tree, [], author, author)
                refs[local] = commit.sha
            remote = refs[sha]
            try:
                ref = repo.get_git_ref("heads/main")
                ref.edit(remote, force=True)
            except UnknownObjectException:
                repo.create_git_ref("refs/heads/main", remote)
        except GithubException as exc:
            raise RepositoryError(
                f"GitHub push to {self.org}/{name} failed: {exc.status} {exc.data}"
            ) from exc
        return refs

    def tag(
        self, *, name: str, staging: Path, tag: str, sha: str, message: str, refs: dict[str, str]
    ) -> None:
        from github import GithubException, UnknownObjectException

        repo = self._repo(name)
        remote = refs.get(sha)
        if not remote:
            raise RepositoryError(f"Commit {sha[:10]} was not pushed to GitHub before tagging.")
        try:
            try:
                repo.get_git_ref(f"tags/{tag}").edit(remote, force=True)
            except UnknownObjectException:
                repo.create_git_ref(f"refs/tags/{tag}", remote)
        except GithubException as exc:
            raise RepositoryError(f"GitHub tag {tag} failed: {exc.status} {exc.data}") from exc

    def release(
        self, *, name: str, tag: str, title: str, body: str, assets: list[Path], refs: dict[str, str]
    ) -> str:
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


def _tree_changes(staging: Path, parent: str | None, commit: str):
    """(mode, type, blob sha, path, deleted) of each file the commit changed against its parent."""
    if parent is None:
        out = gitlib.git("ls-tree", "-r", "--full-tree", commit, cwd=staging)
        for line in out.splitlines():
            meta, _, path = line.partition("\t")
            mode, kind, blob = meta.split()
            yield mode, kind, blob, path, False
        return
    out = gitlib.git("diff-tree", "-r", "--no-renames", "--no-commit-id", parent, commit, cwd=staging)
    for line in out.splitlines():
        meta, _, path = line.partition("\t")
        _old_mode, new_mode, _old, new, status = meta.lstrip(":").split()
        if status == "D":
            yield "100644", "blob", "", path, True
        else:
            yield new_mode, "blob", new, path, False


def backend_get(name: str | None = None) -> RepositoryBackend:
    """The configured backend (REPOSITORY_BACKEND), or the one named."""
    name = name or settings.REPOSITORY_BACKEND
    if name == "local":
        return LocalBackend()
    if name == "github":
        return GitHubBackend()
    raise RepositoryError(f"Unknown REPOSITORY_BACKEND {name!r}: use local or github.")
