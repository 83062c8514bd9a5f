import factory

from accounts.models import User

DEFAULT_PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"player{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    display_name = factory.LazyAttribute(lambda o: o.username.title())

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True
    role = User.Role.ADMIN


# Verdicts of the real headless playtest, by bundle hash: the same files play the same way, so a test
# session plays each bundle once (what issue [newcomer] asks of the factory too).
_VERDICTS: dict[str, dict] = {}


def game_publish_played(*, creator, is_public: bool = True, **kwargs):
    """Publish a game the way the platform does: a draft, played headless (the real playtest), then
    made public through the gate (`game_update(is_public=True)`). Returns the version."""
    from games import services
    from games.services.playtests import playtest_record, version_playtest

    version = services.game_publish(creator=creator, is_public=False, **kwargs)
    verdict = _VERDICTS.get(version.bundle_hash)
    if verdict is None:
        verdict = version_playtest(version=version)
        _VERDICTS[version.bundle_hash] = verdict
    else:
        playtest_record(version=version, verdict=verdict)
    assert verdict["passed"], verdict
    if is_public:
        services.game_update(game=version.game, user=creator, is_public=True)
    version.refresh_from_db()
    version.game.refresh_from_db()
    return version
