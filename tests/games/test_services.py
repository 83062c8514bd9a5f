import hashlib
import os
import threading
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from gamefactory.errors import ApplicationError
from games import bundles, services
from games.models import Asset, Game, GameVersion, Play, Rating
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def stored_names(prefix="bundles"):
    out = []
    root = default_storage.path(prefix)
    for dirpath, _, files in os.walk(root):
        out += [os.path.relpath(os.path.join(dirpath, f), default_storage.path("")) for f in files]
    return sorted(out)


# --- publishing ------------------------------------------------------------------------------

# What the factory's testing step (step 10) hands to step 11 when its playtest passed.
FACTORY_REPORT = {"passed": True, "level_completed": True, "failures": [], "events": ["level_end"]}


def test_publish_builds_stores_and_records_a_new_game(user, spec):
    # when: no bundle_dir, so the generator's builder makes it
    version = services.game_publish(
        creator=user,
        spec=spec,
        origin="studio",
        provenance={"prompt": "p"},
        changelog="first",
        is_public=False,
    )
    # then: a draft (public only once its playtest passed)
    game = version.game
    assert version.number == 1 and game.current_version == version
    assert game.creator == user and game.origin == Game.Origin.STUDIO and not game.is_public
    assert game.title == spec.title and game.mechanic == spec.mechanic == "snake"
    assert game.category in Game.Category.values
    assert {t.name for t in game.tags.all()} == {"snake", spec.genre}
    assert version.bundle_path == f"bundles/{version.bundle_hash}"
    assert "index.html" in version.manifest and "runtime.js" in version.manifest
    for path, entry in version.manifest.items():
        data = default_storage.open(f"{version.bundle_path}/{path}").read()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["size"]
    assert Asset.objects.filter(version=version).count() == len(version.manifest)
    assert Asset.objects.get(version=version, path="assets/sprites.png").kind == Asset.Kind.SPRITE
    assert game.thumbnail_small.name.endswith("-small.webp") and default_storage.exists(
        game.thumbnail_small.name
    )
    assert game.thumbnail_large.name.endswith("-large.webp")
    # Phaser is shared: the bundle points at the platform's copy and does not carry it.
    index = default_storage.open(f"{version.bundle_path}/index.html").read().decode()
    assert '<script src="/play/_lib/phaser-' in index
    assert not any(path.startswith("vendor/") for path in version.manifest)


def test_publish_is_idempotent_for_the_same_game_and_bundle(user, spec, built_bundle):
    # given
    first = services.game_publish(
        creator=user, spec=spec, origin="factory", provenance={"batch_id": "b1", "production_id": "p1"},
        bundle_dir=built_bundle, playtest=FACTORY_REPORT,
    )  # fmt: skip
    # when: the factory retries the same step, and then publishes again onto the game
    again = services.game_publish(
        creator=user, spec=spec, origin="factory", provenance={"batch_id": "b1", "production_id": "p1"},
        bundle_dir=built_bundle, playtest=FACTORY_REPORT,
    )  # fmt: skip
    onto = services.game_publish(
        creator=user, spec=spec, origin="factory", provenance={}, bundle_dir=built_bundle, game=first.game,
        playtest=FACTORY_REPORT,
    )  # fmt: skip
    # then
    assert again.pk == first.pk == onto.pk
    assert Game.objects.count() == 1 and GameVersion.objects.count() == 1


def test_a_new_bundle_on_a_game_is_a_new_version_and_the_old_one_is_kept(
    user, spec, other_spec, built_bundle, other_bundle
):
    # given
    v1 = services.game_publish(
        creator=user, spec=spec, origin="studio", provenance={}, bundle_dir=built_bundle, is_public=False
    )
    # when
    v2 = services.game_publish(
        creator=user, spec=other_spec, origin="studio", provenance={}, bundle_dir=other_bundle, game=v1.game,
        changelog="now a maze",
    )  # fmt: skip
    # then
    game = Game.objects.get(pk=v1.game_id)
    assert (v2.number, v2.parent_id, v2.changelog) == (2, v1.pk, "now a maze")
    assert game.current_version == v2 and game.mechanic == "maze" and game.spec["mechanic"] == "maze"
    assert GameVersion.objects.filter(game=game).count() == 2
    assert default_storage.exists(f"{v1.bundle_path}/index.html") and default_storage.exists(
        f"{v2.bundle_path}/index.html"
    )


def test_the_same_bundle_is_stored_once_for_many_games(user, publish):
    # when
    a = publish(user)
    b = publish(UserFactory())
    # then
    assert a.pk != b.pk and a.current_version.bundle_path == b.current_version.bundle_path
    assert len(stored_names()) == len(a.current_version.manifest)


def test_an_invalid_spec_is_refused_with_its_path_and_nothing_is_written(user, spec):
    # given
    data = spec.model_dump(mode="json")
    data["levels"] = []
    # when
    with pytest.raises(ApplicationError) as exc:
        services.game_publish(creator=user, spec=data, origin="studio", provenance={})
    # then
    assert exc.value.code == "invalid_spec" and "levels" in exc.value.fields
    assert Game.objects.count() == 0 and stored_names() == []


def test_a_bundle_folder_with_a_link_is_refused(user, spec, built_bundle, tmp_path):
    # given
    folder = tmp_path / "b"
    import shutil

    shutil.copytree(built_bundle, folder)
    (folder / "leak.js").symlink_to("/etc/passwd")
    # when / then
    with pytest.raises(ApplicationError) as exc:
        services.game_publish(creator=user, spec=spec, origin="factory", provenance={}, bundle_dir=folder)
    assert exc.value.fields.keys() == {"bundle_dir"}
    assert Game.objects.count() == 0 and stored_names() == []


def test_when_the_database_write_fails_the_stored_files_are_removed(user, spec, built_bundle, monkeypatch):
    # given
    def boom(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(GameVersion.objects, "create", boom)
    # when
    with pytest.raises(RuntimeError):
        services.game_publish(
            creator=user, spec=spec, origin="studio", provenance={}, bundle_dir=built_bundle, is_public=False
        )
    # then
    assert Game.objects.count() == 0 and stored_names() == [] and stored_names("thumbnails") == []


def test_a_half_written_stored_file_is_replaced(user, spec, built_bundle):
    # given: a crash left a truncated copy of this content-addressed file behind
    scan_hash = bundles.bundle_scan(directory=built_bundle).hash
    name = f"bundles/{scan_hash}/runtime.js"
    from django.core.files.base import ContentFile

    default_storage.save(name, ContentFile(b"trunc"))
    # when
    version = services.game_publish(
        creator=user, spec=spec, origin="studio", provenance={}, bundle_dir=built_bundle, is_public=False
    )
    # then
    assert default_storage.open(name).read() == (built_bundle / "runtime.js").read_bytes()
    assert version.manifest["runtime.js"]["size"] == (built_bundle / "runtime.js").stat().st_size


# --- editing ---------------------------------------------------------------------------------


def test_the_owner_edits_the_listing(user, publish):
    # given
    game = publish(user)
    # when
    services.game_update(game=game, user=user, title="New title", tags=["Fast", "neon city"], is_public=False)
    # then
    game.refresh_from_db()
    assert game.title == "New title" and not game.is_public
    assert sorted(t.name for t in game.tags.all()) == ["fast", "neon-city"]


def test_another_user_cannot_edit_or_delete(user, publish):
    # given
    game = publish(user)
    intruder = UserFactory()
    # when / then
    with pytest.raises(ApplicationError) as exc:
        services.game_update(game=game, user=intruder, title="mine now")
    assert exc.value.status_code == 403
    with pytest.raises(ApplicationError):
        services.game_delete(game=game, user=intruder)
    game.refresh_from_db()
    assert game.title != "mine now" and game.status == Game.Status.ACTIVE


def test_featuring_is_for_staff_only(user, publish):
    # given
    game = publish(user)
    # when / then
    with pytest.raises(ApplicationError) as exc:
        services.game_update(game=game, user=user, is_featured=True)
    assert "is_featured" in exc.value.fields
    services.game_update(game=game, user=StaffFactory(), is_featured=True)
    game.refresh_from_db()
    assert game.is_featured


def test_delete_is_soft(user, publish):
    # given
    game = publish(user)
    # when
    services.game_delete(game=game, user=user)
    # then
    game.refresh_from_db()
    assert game.status == Game.Status.DELETED and GameVersion.objects.filter(game=game).exists()


# --- ratings ---------------------------------------------------------------------------------


def test_ratings_keep_an_exact_average_and_one_per_user(user, publish):
    # given
    game = publish(user)
    voters = [UserFactory() for _ in range(3)]
    # when
    services.game_rate(game=game, user=voters[0], stars=5)
    services.game_rate(game=game, user=voters[1], stars=4)
    services.game_rate(game=game, user=voters[2], stars=4)
    services.game_rate(game=game, user=voters[0], stars=1)  # changes their vote
    # then
    game.refresh_from_db()
    assert (game.rating_count, game.rating_sum, game.rating) == (3, 9, Decimal("3.00"))
    assert Rating.objects.filter(game=game).count() == 3


def test_rating_rounds_to_two_decimals(user, publish):
    game = publish(user)
    for stars in (5, 4, 4):
        services.game_rate(game=game, user=UserFactory(), stars=stars)
    game.refresh_from_db()
    assert game.rating == Decimal("4.33")


@pytest.mark.parametrize("stars", [0, 6, "five", 4.5, True, None, -1])
def test_bad_star_counts_are_refused(user, publish, stars):
    game = publish(user)
    with pytest.raises(ApplicationError) as exc:
        services.game_rate(game=game, user=UserFactory(), stars=stars)
    assert "stars" in exc.value.fields
    game.refresh_from_db()
    assert game.rating_count == 0


def test_rating_someone_elses_private_game_is_refused(user, publish):
    game = publish(user, is_public=False)
    with pytest.raises(ApplicationError) as exc:
        services.game_rate(game=game, user=UserFactory(), stars=5)
    assert exc.value.status_code == 404
    assert Rating.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (SQLite serialises them)"
)
def test_concurrent_votes_are_all_counted(user, publish):
    # given
    game = publish(user)
    voters = [UserFactory() for _ in range(12)]
    barrier = threading.Barrier(len(voters))
    errors = []

    def vote(voter, stars):
        try:
            barrier.wait()
            services.game_rate(game=game, user=voter, stars=stars)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=vote, args=(v, 1 + i % 5)) for i, v in enumerate(voters)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then
    assert errors == []
    game.refresh_from_db()
    expected = sum(1 + i % 5 for i in range(12))
    assert (game.rating_count, game.rating_sum) == (12, expected)
    assert game.rating == (Decimal(expected) / 12).quantize(Decimal("0.01"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (SQLite serialises them)"
)
def test_the_same_user_voting_twice_at_once_counts_once(user, publish):
    game = publish(user)
    voter = UserFactory()
    barrier = threading.Barrier(2)

    def vote(stars):
        try:
            barrier.wait()
            services.game_rate(game=game, user=voter, stars=stars)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(s,)) for s in (2, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    game.refresh_from_db()
    rating = Rating.objects.get(game=game, user=voter)
    assert game.rating_count == 1 and game.rating_sum == rating.stars and game.rating == Decimal(rating.stars)


# --- plays -----------------------------------------------------------------------------------


def test_a_play_is_counted_when_it_starts_and_scored_when_it_ends(user, publish):
    # given
    game = publish(user)
    player = UserFactory()
    # when
    play = services.play_start(game=game, user=player)
    services.play_finish(play=play, user=player, duration_ms=12_000, score=300, completed=True)
    services.play_finish(play=play, user=player, score=120)  # a lower later score keeps the best
    # then
    game.refresh_from_db()
    play.refresh_from_db()
    assert game.play_count == 1
    assert (play.duration_ms, play.score, play.completed, play.version_id) == (
        12_000,
        300,
        True,
        game.current_version_id,
    )


def test_anonymous_plays_need_an_id_and_only_their_player_finishes_them(user, publish):
    game = publish(user)
    with pytest.raises(ApplicationError):
        services.play_start(game=game, user=None)
    play = services.play_start(game=game, user=None, anonymous_id="abc")
    with pytest.raises(ApplicationError) as exc:
        services.play_finish(play=play, user=None, anonymous_id="someone-else", score=10)
    assert exc.value.status_code == 404
    with pytest.raises(ApplicationError):
        services.play_finish(play=play, user=UserFactory(), score=10)
    services.play_finish(play=play, anonymous_id="abc", score=10)
    assert Play.objects.get(pk=play.pk).score == 10


# --- forks -----------------------------------------------------------------------------------


def test_a_fork_is_a_new_game_of_the_caller_linked_to_its_origin(user, publish):
    # given
    original = publish(user)
    forker = UserFactory()
    # when
    fork = services.game_fork(game=original, user=forker)
    # then
    version = fork.current_version
    assert fork.creator == forker and fork.origin == Game.Origin.FORK and fork.forked_from == original
    assert fork.title == f"{original.title} (remix)" and fork.slug != original.slug
    assert version.number == 1 and version.parent == original.current_version
    assert version.bundle_hash == original.current_version.bundle_hash  # shared, not copied
    assert fork.provenance["forked_from"] == str(original.pk)
    assert version.assets.count() == original.current_version.assets.count()
    assert sorted(fork.tags.values_list("name", flat=True)) == sorted(
        original.tags.values_list("name", flat=True)
    )


def test_forking_someone_elses_private_game_is_refused(user, publish):
    game = publish(user, is_public=False)
    with pytest.raises(ApplicationError) as exc:
        services.game_fork(game=game, user=UserFactory())
    assert exc.value.status_code == 404
    assert Game.objects.count() == 1
