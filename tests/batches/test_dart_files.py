"""The factory's own Dart files (steps 2 and 5) are rendered from templates by the engine's one
Jinja2 environment, and parse with tree-sitter-dart whatever the title and the taxonomy hold."""

import pytest

from batches import collab
from batches.steps.analytics_design import taxonomy_for
from batches.steps.analytics_impl import ads_service_dart, analytics_service_dart, routed_names
from batches.steps.project_setup import app_class
from generation.spec import spec_validate
from tests.generation.dart_syntax import dart_syntax_problems
from tests.generation.specs import AWKWARD_TITLES, spec_data


def _spec(title: str, slug: str = "snake"):
    data = spec_data(slug)
    data["title"] = title
    return spec_validate(data)


def _project_setup_files(spec) -> dict[str, str]:
    klass = app_class(spec.title)
    primary = spec.theme.palette.primary.lstrip("#").upper()
    return {
        "main.dart": collab.dart_render("main.dart", app_class=klass),
        "app.dart": collab.dart_render("app.dart", app_class=klass, title=spec.title, primary=primary),
        "widget_test.dart": collab.dart_render("widget_test.dart", package="a_game", app_class=klass),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("title", AWKWARD_TITLES)
def test_step_two_and_five_dart_parses_with_awkward_titles(title):
    # given a game whose title has quotes, $, backslashes, template delimiters or bidi controls
    spec = _spec(title)
    files = _project_setup_files(spec)
    files["analytics_service.dart"] = analytics_service_dart(
        taxonomy_for(spec), ingest_url="https://example.test/api/v1/events?a='b'&c=$d", public_key="pk_$x'y"
    )
    files["ads_service.dart"] = ads_service_dart(spec)
    files["analytics_wiring.dart"] = collab.dart_render("analytics_wiring.dart")
    # then every file parses: not one ERROR or MISSING node
    assert {
        name: problems for name, text in files.items() if (problems := dart_syntax_problems(text.encode()))
    } == {}
    # and the title reaches the app as a string literal, escaped rather than interpolated
    assert "\\$" in files["app.dart"] or "$" not in title


@pytest.mark.django_db
def test_the_analytics_service_routes_every_event_of_the_taxonomy():
    spec = _spec("Snake")
    taxonomy = taxonomy_for(spec)
    source = analytics_service_dart(taxonomy, ingest_url="https://example.test/", public_key="pk")
    assert routed_names(source) == {event["source_name"] for event in taxonomy["events"]}
    assert f"static const taxonomyVersion = {int(taxonomy['version'])};" in source
