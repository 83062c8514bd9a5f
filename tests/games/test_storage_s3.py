"""Bundles and thumbnails on S3: the real boto3 + django-storages against moto's S3 server."""

import boto3
import pytest
from moto.server import ThreadedMotoServer

from games import services
from games.models import Game
from tests.factories import game_publish_played

pytestmark = pytest.mark.django_db

BUCKET = "gamefactory-test-media"


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(settings, s3_server):
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = s3_server
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_ACCESS_KEY_ID = "test"
    settings.AWS_SECRET_ACCESS_KEY = "test"  # noqa: S105 - moto accepts any key
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.AWS_QUERYSTRING_AUTH = True
    settings.AWS_S3_CUSTOM_DOMAIN = None
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client, prefix=""):
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", []))


def test_a_published_game_lives_in_the_bucket_and_is_served_from_it(s3, client, user, spec, built_bundle):
    # when
    # (played headless from the bucket: the playtest reads the stored bundle through the storage)
    version = game_publish_played(
        creator=user, spec=spec, origin="studio", provenance={}, bundle_dir=built_bundle
    )
    # then: content-addressed objects, one per file
    stored = keys(s3, f"bundles/{version.bundle_hash}/")
    assert stored == sorted(f"bundles/{version.bundle_hash}/{path}" for path in version.manifest)
    index = s3.get_object(Bucket=BUCKET, Key=f"bundles/{version.bundle_hash}/index.html")["Body"].read()
    assert index == (built_bundle / "index.html").read_bytes()
    # thumbnails too, with URLs on the S3 endpoint
    game = Game.objects.get(pk=version.game_id)
    assert keys(s3, "thumbnails/") == sorted([game.thumbnail_small.name, game.thumbnail_large.name])
    assert game.thumbnail_small.url.startswith(s3.meta.endpoint_url)
    # the player streams the bundle from S3 with the sandbox's headers
    r = client.get(f"/play/{version.pk}/{version.bundle_hash}/index.html")
    assert r.status_code == 200 and b"".join(r.streaming_content) == index
    assert "connect-src 'none'" in r["Content-Security-Policy"]


def test_the_same_bundle_is_uploaded_once(s3, user, spec, built_bundle, publish):
    publish(user)
    before = keys(s3, "bundles/")
    publish(user)
    assert keys(s3, "bundles/") == before


def test_a_failed_publication_leaves_nothing_in_the_bucket(s3, user, spec, built_bundle, monkeypatch):
    from games.models import GameVersion

    def boom(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(GameVersion.objects, "create", boom)
    with pytest.raises(RuntimeError):
        services.game_publish(
            creator=user, spec=spec, origin="studio", provenance={}, bundle_dir=built_bundle, is_public=False
        )
    assert keys(s3, "bundles/") == [] and keys(s3, "thumbnails/") == []
