"""The read replica: analytics' dashboards and selectors read it, the rest of the platform the primary,
and the primary answers when the replica is down.

A second PostgreSQL database stands in for the replica (made here, next to the test database: with
`DATABASE_REPLICA_URL` set, settings make the `replica` alias a test MIRROR, which would be the test
database itself). Nothing replicates into it, so a test writes what "replicated" rows it wants there,
and different numbers on the primary: the page shows which one was read.
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from accounts.models import User
from analytics import selectors
from analytics.models import AggregatedDay, DailyMetrics
from gamefactory import db as replica_db
from games.models import Game

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the stand-in replica is a PostgreSQL database"
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def _admin_dsn(settings_dict: dict) -> str:
    return (
        f"host={settings_dict['HOST'] or '127.0.0.1'} port={settings_dict['PORT'] or 5432} "
        f"user={settings_dict['USER']} password={settings_dict['PASSWORD'] or ''} dbname=postgres"
    )


def _forget_connection(alias: str) -> None:
    """Close the alias's connection and drop it, so the next use is made from the settings anew."""
    if hasattr(connections._connections, alias):
        getattr(connections._connections, alias).close()
        delattr(connections._connections, alias)


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker):
    """A database of its own as the `replica` alias, migrated; dropped at the end."""
    primary = connections["default"].settings_dict
    name = f"{primary['NAME']}_replica"
    saved = connections.settings.get("replica")
    with psycopg.connect(_admin_dsn(primary), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    settings_dict = {**primary, "NAME": name, "TEST": {**primary["TEST"], "MIRROR": None, "NAME": name}}
    settings_dict["OPTIONS"] = {"connect_timeout": 2}
    with django_db_blocker.unblock():
        _forget_connection("replica")
    connections.settings["replica"] = settings_dict
    with django_db_blocker.unblock():
        call_command("migrate", database="replica", verbosity=0)
    yield name
    with django_db_blocker.unblock():
        _forget_connection("replica")
    if saved is None:
        del connections.settings["replica"]
    else:
        connections.settings["replica"] = saved
    with psycopg.connect(_admin_dsn(primary), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def world(replica):
    """The same creator and game on both databases; 5 sessions on the primary, 77 on the replica."""
    replica_db.replica_state_reset()
    creator = User.objects.create_user("maker", "maker@example.com", "a-long-passphrase")
    game = Game.objects.create(
        creator=creator, title="Primary title", slug="measured", category="arcade", spec={}
    )
    # what the replica holds (it lags: its copy of the game still has the old title)
    User.objects.using("replica").create(
        pk=creator.pk, username="maker", email="maker@example.com", password=creator.password
    )
    Game.objects.using("replica").create(
        pk=game.pk, creator_id=creator.pk, title="Replica title", slug="measured", category="arcade", spec={}
    )
    day = timezone.now().date() - dt.timedelta(days=1)
    for alias, sessions in (("default", 5), ("replica", 77)):
        DailyMetrics.objects.using(alias).create(
            game_id=game.pk, day=day, dau=3, sessions=sessions, events=10, computed_at=timezone.now()
        )
        AggregatedDay.objects.using(alias).create(day=day, timezone="UTC", computed_at=timezone.now())
    browser = Client()
    browser.force_login(creator)
    yield {"game": game, "day": day, "browser": browser}
    replica_db.replica_state_reset()


def sessions_on(html: str) -> str:
    return html.split('id="sum-sessions">')[1].split("<")[0]


def test_the_dashboards_and_selectors_read_the_replica(world):
    game, browser = world["game"], world["browser"]
    # the dashboard, its summary and the metrics API
    page = browser.get(f"/analytics/games/{game.slug}/").content.decode()
    assert sessions_on(page) == "77" and "Replica title" in page
    assert sessions_on(browser.get(f"/analytics/games/{game.slug}/summary/").content.decode()) == "77"
    api = browser.get("/api/v1/metrics", {"game": str(game.pk), "metrics": "sessions"}).json()
    assert api["games"][0]["totals"]["sessions"] == 77
    # a selector called from elsewhere (the factory's step 12)
    entry = selectors.metrics_for_game(game=game, date_from=world["day"], date_to=world["day"])
    assert entry["totals"]["sessions"] == 77


def test_the_rest_of_the_platform_reads_the_primary(world):
    game = world["game"]
    assert "Primary title" in world["browser"].get(f"/games/{game.slug}/").content.decode()
    assert Game.objects.get(pk=game.pk).title == "Primary title"
    assert DailyMetrics.objects.get(game=game).sessions == 5


def test_the_primary_answers_when_the_replica_cannot_be_reached(world):
    # given a replica that refuses connections
    game, browser = world["game"], world["browser"]
    replica_conn = connections["replica"]
    replica_conn.close()
    port = replica_conn.settings_dict["PORT"]
    replica_conn.settings_dict["PORT"] = "1"
    try:
        # when / then: the primary's numbers, and the replica is left alone for a while
        page = browser.get(f"/analytics/games/{game.slug}/")
        assert page.status_code == 200 and sessions_on(page.content.decode()) == "5"
        assert not replica_db.replica_available()
    finally:
        replica_conn.close()
        replica_conn.settings_dict["PORT"] = port
    # and once it is back and the pause is over, it is read again
    replica_db.replica_state_reset()
    assert sessions_on(browser.get(f"/analytics/games/{game.slug}/summary/").content.decode()) == "77"


def test_a_replica_that_goes_away_mid_request_is_replaced_by_the_primary(world):
    # given a replica connection that was open, then cut by the server (a failover, a restart)
    game, browser = world["game"], world["browser"]
    replica_conn = connections["replica"]
    replica_conn.ensure_connection()
    with replica_conn.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    # when
    page = browser.get(f"/analytics/games/{game.slug}/summary/")
    # then the read was run again on the primary
    assert page.status_code == 200 and sessions_on(page.content.decode()) == "5"


def test_a_replica_alias_on_the_primarys_own_database_reads_through_the_primary(world, settings):
    # what settings make of DATABASE_REPLICA_URL in tests: a MIRROR of the test database
    replica_conn = connections["replica"]
    name = replica_conn.settings_dict["NAME"]
    replica_conn.close()
    replica_conn.settings_dict["NAME"] = connections["default"].settings_dict["NAME"]
    try:
        assert not replica_db.replica_available()
        assert (
            sessions_on(
                world["browser"].get(f"/analytics/games/{world['game'].slug}/summary/").content.decode()
            )
            == "5"
        )
    finally:
        replica_conn.close()
        replica_conn.settings_dict["NAME"] = name
