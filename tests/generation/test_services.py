"""The mechanics table: filled by the migration, synced from code, browsable in the admin."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gamefactory.errors import ApplicationError
from generation.mechanics import mechanic_registry
from generation.models import Mechanic
from generation.selectors import mechanic_available_slugs, mechanic_list
from generation.services import game_design, mechanic_sync

pytestmark = pytest.mark.django_db


def test_migration_filled_the_table_from_the_code():
    # the data migration ran when the test database was created
    assert set(Mechanic.objects.values_list("slug", flat=True)) >= set(mechanic_registry())
    maze = Mechanic.objects.get(slug="maze")
    assert maze.category == "puzzle" and maze.is_active
    assert "fog" in maze.params_schema["properties"]
    assert "grid" in maze.level_schema["properties"]
    assert maze.js_path == "generation/mechanics/maze/scene.js"
    assert maze.dart_template == "generation/mechanics/maze/flame.dart"
    assert maze.example_prompts


def test_sync_is_idempotent():
    mechanic_sync()
    again = mechanic_sync()
    assert again.created == again.updated == again.deactivated == []
    assert set(again.unchanged) == set(mechanic_registry())


def test_sync_restores_code_owned_fields_and_keeps_staff_switch():
    # given staff switched snake off and someone edited its name by hand
    Mechanic.objects.filter(slug="snake").update(name="Worm", is_active=False)
    # when synced
    result = mechanic_sync()
    # then the code's name is back, the staff's switch stays
    snake = Mechanic.objects.get(slug="snake")
    assert result.updated == ["snake"]
    assert snake.name == "Snake" and snake.is_active is False


def test_sync_creates_missing_rows_and_deactivates_removed_ones():
    Mechanic.objects.filter(slug="breakout").delete()
    Mechanic.objects.create(
        slug="retired", name="Retired", genre="arcade", category="arcade", js_path="x", dart_template="y"
    )
    result = mechanic_sync()
    assert result.created == ["breakout"] and result.deactivated == ["retired"]
    assert Mechanic.objects.get(slug="retired").is_active is False
    assert list(mechanic_list().values_list("slug", flat=True)) == sorted(mechanic_registry())


def test_sync_command(capsys):
    call_command("sync_mechanics")
    out = capsys.readouterr().out
    assert "unchanged" in out and "maze" in out


def test_admin_lists_searches_and_filters(client, staff):
    client.force_login(staff)
    response = client.get("/admin/generation/mechanic/", {"q": "labyrinth"})
    assert response.status_code == 200
    assert b"maze" in response.content and b"breakout" not in response.content
    response = client.get("/admin/generation/mechanic/", {"category__exact": "arcade"})
    assert b"snake" in response.content and b"match3" not in response.content


def test_admin_shows_code_fields_read_only_and_allows_no_add(client, staff):
    client.force_login(staff)
    maze = Mechanic.objects.get(slug="maze")
    page = client.get(f"/admin/generation/mechanic/{maze.pk}/change/")
    assert page.status_code == 200
    assert b'name="is_active"' in page.content
    assert b'name="name"' not in page.content
    # and what its package holds, read from the code
    assert b"generation/mechanics/maze" in page.content
    assert (
        b"scene.js" in page.content
        and b"flame.dart" in page.content
        and b"its own bot (bot.py)" in page.content
    )
    assert client.get("/admin/generation/mechanic/add/").status_code == 403
    # staff can switch it off
    response = client.post(f"/admin/generation/mechanic/{maze.pk}/change/", {"is_active": ""})
    assert response.status_code == 302
    maze.refresh_from_db()
    assert maze.is_active is False and maze.name == "Maze"


# --- the designer offers only the mechanics staff left active ----------------------------------------


def test_available_mechanics_leave_out_the_switched_off_ones():
    # given staff switched snake off (and breakout has no row yet: not synced, still available)
    Mechanic.objects.filter(slug="snake").update(is_active=False)
    Mechanic.objects.filter(slug="breakout").delete()
    # when
    available = mechanic_available_slugs()
    # then
    assert "snake" not in available and "breakout" in available
    assert available == frozenset(mechanic_registry()) - {"snake"}


def test_a_switched_off_mechanic_is_never_chosen():
    # given a prompt that names snake, and snake switched off
    assert game_design(prompt="a neon snake that gets faster").spec.mechanic == "snake"
    Mechanic.objects.filter(slug="snake").update(is_active=False)
    # when the same prompt is designed again
    result = game_design(prompt="a neon snake that gets faster")
    # then another mechanic is chosen, and still a valid game
    assert result.spec.mechanic != "snake"
    assert result.spec.mechanic in mechanic_available_slugs()


def test_a_prompt_naming_no_mechanic_never_lands_on_a_switched_off_one():
    # given every mechanic but two switched off
    Mechanic.objects.exclude(slug__in=["maze", "match3"]).update(is_active=False)
    # when prompts that name nothing in particular are designed
    chosen = {game_design(prompt=f"a game about {word}", seed=n).spec.mechanic
              for n, word in enumerate(["clouds", "taxes", "a tuesday", "my cat", "the sea", "nothing"])}  # fmt: skip
    # then only those two are used
    assert chosen <= {"maze", "match3"}


def test_naming_a_switched_off_mechanic_is_refused_on_the_mechanic_field():
    # given
    Mechanic.objects.filter(slug="maze").update(is_active=False)
    # when / then
    with pytest.raises(ApplicationError) as info:
        game_design(prompt="a spooky maze", mechanic="maze")
    assert info.value.code == "mechanic_inactive"
    assert "switched off" in info.value.fields["mechanic"][0]


def test_switching_a_mechanic_back_on_offers_it_again():
    Mechanic.objects.filter(slug="maze").update(is_active=False)
    Mechanic.objects.filter(slug="maze").update(is_active=True)
    assert game_design(prompt="a spooky maze", mechanic="maze").spec.mechanic == "maze"


def test_generate_game_command_respects_the_switch(tmp_path):
    Mechanic.objects.filter(slug="snake").update(is_active=False)
    with pytest.raises(CommandError, match="switched off"):
        call_command(
            "generate_game", "a snake", "--mechanic", "snake", "--out", str(tmp_path / "g"), stdout=StringIO()
        )
    out = StringIO()
    call_command(
        "generate_game", "a neon snake that gets faster", "--out", str(tmp_path / "g"), "--json", stdout=out
    )
    assert json.loads(out.getvalue())["mechanic"] != "snake"


def test_generate_game_command_without_the_mechanics_table_offers_every_mechanic(tmp_path, monkeypatch):
    # given a database that is not migrated yet (the mechanics table cannot be read)
    from django.db import OperationalError

    from generation.management.commands import generate_game

    def no_table():
        raise OperationalError("no such table: generation_mechanic")

    monkeypatch.setattr(generate_game, "mechanic_available_slugs", no_table)
    out, err = StringIO(), StringIO()
    # when
    call_command(
        "generate_game", "a neon snake", "--out", str(tmp_path / "g"), "--json", stdout=out, stderr=err
    )
    # then it says so, and still makes the game the prompt asks for
    assert "migrate" in err.getvalue()
    assert json.loads(out.getvalue())["mechanic"] == "snake"
