import uuid

import pytest

from batches import git as gitlib
from batches.repositories import GitHubBackend, LocalBackend, RepositoryError
from tests.batches.github_fake import TOKEN, FakeGitHub


@pytest.fixture
def github():
    server = FakeGitHub().start()
    yield server
    server.stop()


def _commit(production_id, run_id, base, files: dict[str, str], message: str, delete=()) -> str:
    """A commit in the production's staging repository, made the way the engine makes them."""
    ws = gitlib.Workspace.open(production_id=production_id, run_id=run_id, base_sha=base)
    for rel, text in files.items():
        target = ws.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    for rel in delete:
        (ws.path / rel).unlink()
    sha = ws.commit(message)
    ws.push_staging(f"refs/factory/runs/{run_id}")
    ws.close()
    return sha


def test_local_backend_creates_a_bare_repository_and_force_pushes(tmp_path):
    # given
    backend = LocalBackend(tmp_path / "repos")
    production_id = uuid.uuid4()
    staging = gitlib.staging_ensure(production_id)
    one = _commit(production_id, 1, None, {"README.md": "one"}, "Step 1/12: one")
    two = _commit(production_id, 2, one, {"docs/A.md": "two"}, "Step 2/12: two")
    # when
    info = backend.ensure(name="space-snake-1234abcd", description="A game")
    again = backend.ensure(name="space-snake-1234abcd", description="A game")
    backend.push(name=info.name, staging=staging, sha=two)
    # then: a re-run of step 2 replaces its commit instead of stacking a new one
    two_again = _commit(production_id, 3, one, {"docs/A.md": "two, again"}, "Step 2/12: two")
    backend.push(name=info.name, staging=staging, sha=two_again)
    repo = backend.path(info.name)
    assert info == again
    assert info.clone_url.startswith("file://")
    assert [c["sha"] for c in gitlib.commit_list(repo)] == [two_again, one]
    assert gitlib.file_at(repo, "main", "docs/A.md") == b"two, again"


def test_local_backend_refuses_names_that_leave_its_folder(tmp_path):
    backend = LocalBackend(tmp_path / "repos")
    with pytest.raises(RepositoryError):
        backend.ensure(name="../escape", description="")


def test_local_backend_tags_replace_the_old_tag(tmp_path):
    # given
    backend = LocalBackend(tmp_path / "repos")
    production_id = uuid.uuid4()
    staging = gitlib.staging_ensure(production_id)
    first = _commit(production_id, 1, None, {"VERSION": "1.0.0"}, "Step 11/12: release")
    second = _commit(production_id, 2, None, {"VERSION": "1.0.0 again"}, "Step 11/12: release")
    backend.ensure(name="game", description="")
    # when
    for sha in (first, second):
        backend.push(name="game", staging=staging, sha=sha)
        gitlib.staging_tag(production_id, name="v1.0.0", sha=sha, message="1.0.0")
        backend.tag(name="game", staging=staging, tag="v1.0.0")
    # then
    tagged = gitlib.git("rev-list", "-n", "1", "v1.0.0", cwd=backend.path("game")).strip()
    assert tagged == second


def test_github_backend_recreates_the_commits_and_replaces_a_rerun(github, tmp_path):
    # given
    backend = GitHubBackend(token=TOKEN, org=github.org, base_url=github.base, seconds_between_writes=0)
    production_id = uuid.uuid4()
    staging = gitlib.staging_ensure(production_id)
    one = _commit(
        production_id, 1, None, {"README.md": "hello", "docs/GDD.md": "gdd"}, "Step 1/12: Pre-production"
    )
    two = _commit(production_id, 2, one, {"mobile/pubspec.yaml": "name: x"}, "Step 2/12: Project setup")
    # when
    info = backend.ensure(name="neon-snake-0a1b2c3d", description="Neon snake")
    backend.push(name=info.name, staging=staging, sha=two)
    three = _commit(
        production_id,
        3,
        two,
        {"docs/ARCHITECTURE.md": "arch"},
        "Step 3/12: Architecture",
        delete=["README.md"],
    )
    backend.push(name=info.name, staging=staging, sha=three)
    three_again = _commit(
        production_id, 4, two, {"docs/ARCHITECTURE.md": "arch v2"}, "Step 3/12: Architecture"
    )
    backend.push(name=info.name, staging=staging, sha=three_again)
    # then
    history = github.history(info.name)
    assert [c["message"] for c in history] == [
        "Step 3/12: Architecture",
        "Step 2/12: Project setup",
        "Step 1/12: Pre-production",
    ]
    # the re-run's commit replaced the first step-3 commit, which had deleted README.md
    assert github.files(info.name) == {
        "README.md": b"hello",
        "docs/GDD.md": b"gdd",
        "mobile/pubspec.yaml": b"name: x",
        "docs/ARCHITECTURE.md": b"arch v2",
    }
    # the same commits as staging's, sent with git push (no re-created copies)
    assert [c["sha"] for c in history] == [three_again, two, one]
    assert info.web_url.endswith(f"/{github.org}/{info.name}")


def test_github_backend_deletes_files_the_commit_removed(github):
    backend = GitHubBackend(token=TOKEN, org=github.org, base_url=github.base, seconds_between_writes=0)
    production_id = uuid.uuid4()
    staging = gitlib.staging_ensure(production_id)
    one = _commit(production_id, 1, None, {"a.txt": "a", "b.txt": "b"}, "one")
    two = _commit(production_id, 2, one, {}, "two", delete=["a.txt"])
    backend.ensure(name="deletes", description="")
    backend.push(name="deletes", staging=staging, sha=two)
    assert set(github.files("deletes")) == {"b.txt"}


def test_github_backend_tags_and_releases_with_assets_idempotently(github, tmp_path):
    # given
    backend = GitHubBackend(token=TOKEN, org=github.org, base_url=github.base, seconds_between_writes=0)
    production_id = uuid.uuid4()
    staging = gitlib.staging_ensure(production_id)
    sha = _commit(production_id, 1, None, {"VERSION": "1.0.0"}, "Step 11/12: Release")
    backend.ensure(name="released", description="")
    backend.push(name="released", staging=staging, sha=sha)
    gitlib.staging_tag(production_id, name="v1.0.0", sha=sha, message="1.0.0")
    asset = tmp_path / "game-v1.0.0-web.zip"
    asset.write_bytes(b"PK zip bytes")
    # when: a retried release step does it all twice
    for _ in range(2):
        backend.tag(name="released", staging=staging, tag="v1.0.0")
        url = backend.release(name="released", tag="v1.0.0", title="Game 1.0.0", body="notes", assets=[asset])
    # then
    assert github.ref("released", "tags/v1.0.0") == sha
    assert len(github.releases) == 1
    assert [a["name"] for a in github.assets.values()] == ["game-v1.0.0-web.zip"]
    assert next(iter(github.assets.values()))["data"] == b"PK zip bytes"
    assert url.endswith("/releases/tag/v1.0.0")


def test_github_push_that_fails_raises_repository_error_and_a_retry_succeeds(github):
    # given
    backend = GitHubBackend(token=TOKEN, org=github.org, base_url=github.base, seconds_between_writes=0)
    production_id = uuid.uuid4()
    staging = gitlib.staging_ensure(production_id)
    sha = _commit(production_id, 1, None, {"a.txt": "a"}, "one")
    backend.ensure(name="flaky", description="")
    github.fail_next[("POST", f"/{github.org}/flaky.git/git-receive-pack")] = 1
    # when / then
    with pytest.raises(RepositoryError, match="500"):
        backend.push(name="flaky", staging=staging, sha=sha)
    backend.push(name="flaky", staging=staging, sha=sha)
    assert github.ref("flaky") == sha


def test_github_backend_needs_a_token_and_an_org(settings):
    settings.GITHUB_TOKEN = ""
    settings.GITHUB_ORG = ""
    with pytest.raises(RepositoryError, match="GITHUB_TOKEN"):
        GitHubBackend()


def test_github_backend_with_a_bad_token_fails_clearly(github):
    backend = GitHubBackend(token="wrong", org=github.org, base_url=github.base, seconds_between_writes=0)
    with pytest.raises(RepositoryError, match="401"):
        backend.ensure(name="nope", description="")


def test_a_workspace_borrows_stagings_objects_and_staging_never_depends_on_it():
    # given a staging repository with a first step's commit
    production_id = uuid.uuid4()
    staging = gitlib.staging_ensure(production_id)
    one = _commit(production_id, 1, None, {"README.md": "one", "assets/a.txt": "x" * 5000}, "Step 1/12: one")
    # when the next step's workspace opens at that commit
    ws = gitlib.Workspace.open(production_id=production_id, run_id=2, base_sha=one)
    # then it has the tree, without a copy of its objects
    assert (ws.path / "assets" / "a.txt").read_text() == "x" * 5000
    counts = gitlib.git("count-objects", "-v", cwd=ws.path)
    assert "count: 0" in counts and "packs: 0" in counts
    # and its commit, pushed, lives on in staging after the workspace is gone
    (ws.path / "docs").mkdir()
    (ws.path / "docs" / "B.md").write_text("two")
    two = ws.commit("Step 2/12: two")
    ws.push_staging("refs/factory/runs/2")
    ws.close()
    assert not ws.path.exists()
    gitlib.git("fsck", "--full", "--strict", cwd=staging)
    assert gitlib.file_at(staging, two, "docs/B.md") == b"two"
    assert gitlib.file_at(staging, two, "assets/a.txt") == b"x" * 5000
