"""Hostile input on every API operation: deep JSON, huge bodies, NUL and bidi controls.

The cases come from the live OpenAPI schema and the URL configuration, so an app added later is
covered by being routed: nothing here names an endpoint but the reproductions of the hardening issue.
"""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.parsers import JSONParser as DRFJSONParser
from rest_framework.views import APIView

from accounts.models import User
from gamefactory.api import parsers

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
RLO = "abc\u202egnp.exe"
BODY_METHODS = ("post", "put", "patch")


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


SCHEMA = None


def schema() -> dict:
    global SCHEMA
    if SCHEMA is None:
        SCHEMA = _schema()
    return SCHEMA


def _resolve(ref_or_schema: dict) -> dict:
    ref = ref_or_schema.get("$ref")
    if ref:
        return schema()["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return ref_or_schema


def _operations():
    for path, item in schema()["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, op


def body_fields():
    """(method, path, field) for every writable string property of every JSON request body."""
    out = []
    for path, method, op in _operations():
        content = (op.get("requestBody") or {}).get("content", {})
        body = content.get("application/json")
        if not body:
            continue
        for name, prop in _resolve(body["schema"]).get("properties", {}).items():
            prop = _resolve(prop)
            if prop.get("type") == "string" and not prop.get("readOnly") and prop.get("format") != "binary":
                out.append((method, path, name))
    return out


def query_params():
    out = []
    for path, method, op in _operations():
        for param in op.get("parameters", []):
            if param.get("in") == "query" and param.get("schema", {}).get("type") in ("string", None):
                out.append((method, path, param["name"]))
    return out


def json_operations():
    return [
        (m, p)
        for p, m, op in _operations()
        if "application/json" in op.get("requestBody", {}).get("content", {})
    ]


@pytest.fixture
def ids(staff):
    """A real object for every path parameter, so that views reach the body they parse."""
    from games.models import Game, GameVersion

    game = Game.objects.create(
        id=uuid.uuid4(),
        creator=staff,
        title="Target",
        category="arcade",
        slug=f"target-{uuid.uuid4().hex[:8]}",
        spec={},
    )
    version = GameVersion.objects.create(game=game, number=1, spec={}, bundle_hash="0" * 64, created_by=staff)
    Game.objects.filter(pk=game.pk).update(current_version=version)
    return {"game_id": game.pk, "user_id": staff.pk}


def _url(path: str, ids: dict) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", str(value))
    for name in ("batch_id", "production_id", "request_id", "key_id"):
        path = path.replace("{" + name + "}", str(uuid.uuid4()))
    return path


def _send(client, method, url, body: bytes):
    return getattr(client, method)(url, body, content_type="application/json")


def _fields(response) -> dict:
    return response.json()["error"]["fields"]


# --- the reproductions ----------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_json_to_refresh_is_a_400_naming_the_body(api, depth):
    # given: the reproduction, and one a hundred times deeper
    body = b"[" * depth
    # when
    response = api.post("/api/v1/auth/refresh", body, content_type="application/json")
    # then
    assert response.status_code == 400, response.content[:300]
    assert response.json()["error"]["code"] in ("too_deep", "parse_error")


def test_nesting_past_the_limit_names_the_field(api, settings):
    settings.JSON_MAX_DEPTH = 4
    body = {"refresh": {"a": {"b": {"c": {"d": 1}}}}}
    response = api.post("/api/v1/auth/refresh", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_deep"
    assert "refresh.a.b.c" in _fields(response)


@pytest.mark.parametrize(("method", "path"), json_operations())
def test_every_json_operation_refuses_absurd_nesting_with_a_4xx(staff_api, ids, method, path):
    response = _send(staff_api, method, _url(path, ids), b'{"x": ' + b"[" * 5000 + b"]" * 5000 + b"}")
    assert 400 <= response.status_code < 500, (path, response.status_code, response.content[:300])
    if response.status_code == 400:
        assert response.json()["error"]["code"] == "too_deep"


def test_a_10_mb_body_is_a_413(staff_api):
    body = json.dumps({"brief": "x" * (10 * 1024 * 1024)}).encode()
    response = staff_api.post("/api/v1/batches", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_a_nul_in_the_tags_filter_is_a_400_naming_tags(api):
    response = api.get("/api/v1/games", {"tags": "snake\x00"})
    assert response.status_code == 400
    assert list(_fields(response)) == ["tags"]
    assert "Control characters" in _fields(response)["tags"][0]


@pytest.mark.parametrize(("method", "path", "name"), query_params())
@pytest.mark.parametrize("bad", [NUL, RLO, "x\u200fy"], ids=["nul", "rlo", "rlm"])
def test_every_query_parameter_refuses_control_and_bidi_characters(staff_api, ids, method, path, name, bad):
    response = getattr(staff_api, method)(_url(path, ids) + "?" + f"{name}={bad}")
    assert response.status_code == 400, (path, name, response.status_code)
    assert name in _fields(response)


@pytest.mark.parametrize(("method", "path", "name"), body_fields())
@pytest.mark.parametrize("bad", [NUL, RLO], ids=["nul", "rlo"])
def test_every_string_field_refuses_nul_and_rtl_override(staff_api, ids, method, path, name, bad):
    # given: nothing else in the body, so the refusal can only be about this field
    before = User.objects.count()
    # when
    response = _send(staff_api, method, _url(path, ids), json.dumps({name: bad}).encode())
    # then
    assert response.status_code in (400, 404, 405), (path, name, response.status_code)
    if response.status_code == 400:
        assert name in _fields(response), (path, name, response.json())
    assert User.objects.count() == before


def test_a_nul_in_a_nested_value_names_its_path(staff_api):
    body = {"brief": "b", "count": 1, "faults": {"3": {"mode": "ra\x00ise"}}}
    response = staff_api.post("/api/v1/batches", body, format="json")
    assert response.status_code == 400
    assert list(_fields(response)) == ["faults.3.mode"]


def test_a_bidi_mark_in_a_json_key_is_refused(staff_api):
    response = staff_api.post("/api/v1/batches", {"bri\u200fef": "x"}, format="json")
    assert response.status_code == 400
    assert "Direction marks" in next(iter(_fields(response).values()))[0]


def test_prose_may_carry_direction_marks(auth_api):
    # given: Arabic text with a right-to-left mark, as keyboards type it
    response = auth_api.put("/api/v1/users/profile", {"bio": "مرحبا\u200f!"}, format="json")
    assert response.status_code == 200
    assert response.json()["bio"] == "مرحبا\u200f!"


@pytest.mark.parametrize("username", ["ad\u202emin", "ad\u200fmin", "ad\x00min"])
def test_usernames_refuse_bidi_and_control_characters(api, username):
    response = api.post(
        "/api/v1/auth/register",
        {"username": username, "email": "e@example.com", "password": "a-long-passphrase-1"},
        format="json",
    )
    assert response.status_code == 400
    assert "username" in _fields(response)
    assert not User.objects.filter(email="e@example.com").exists()


def test_control_characters_in_a_page_form_are_a_400(client):
    response = client.post("/accounts/login/", {"username": "a\x00", "password": "x"})
    assert response.status_code == 400
    assert b"Control characters" in response.content


def test_control_characters_in_a_page_path_are_a_400(client):
    response = client.get("/games/snake%00/")
    assert response.status_code == 400


def test_a_multipart_body_without_a_boundary_is_a_400(staff_api):
    response = staff_api.post("/api/v1/games", b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_nan_is_not_json(staff_api):
    response = staff_api.post("/api/v1/batches", b'{"count": NaN}', content_type="application/json")
    assert response.status_code == 400


# --- the one configuration -----------------------------------------------------------------------


def _views(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            cls = getattr(entry.callback, "cls", None)
            if cls is not None and issubclass(cls, APIView):
                yield prefix + str(entry.pattern), cls


def test_every_api_view_parses_json_with_the_projects_parser():
    """A view listing parsers of its own must take them from gamefactory.api.parsers."""
    offenders = []
    for route, cls in _views():
        for parser in cls().get_parsers():
            if isinstance(parser, DRFJSONParser) and not isinstance(parser, parsers.JSONParser):
                offenders.append((route, type(parser).__module__))
    assert offenders == []


def test_the_jwt_error_keeps_simplejwts_code(api):
    # given a token that is not one
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    # when
    response = api.get("/api/v1/users/profile")
    # then
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "token_not_valid"
    assert set(error) == {"code", "message", "fields"}
    assert "not valid" in error["message"].lower()


def test_paginated_lists_are_documented_as_pages():
    for path in ("/api/v1/games", "/api/v1/batches"):
        response = schema()["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        page = _resolve(response)
        assert set(page["properties"]) == {"count", "next", "previous", "results"}, path
        assert page["properties"]["results"]["type"] == "array"
