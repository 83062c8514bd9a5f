"""Every Dart file of the Flutter + Flame project parses: every mechanic, and titles that fight back.

No Dart SDK or Flutter can be installed here; tree-sitter-dart is the real parser we can run. A
file with any ERROR or MISSING node fails, with the line and the text.
"""

import pytest

from generation.mobile import mobile_project_files
from generation.spec import spec_validate
from tests.generation.dart_syntax import dart_syntax_problems
from tests.generation.specs import AWKWARD_TITLES, mechanic_slugs, spec_data


def _dart_problems(files: dict[str, bytes]) -> dict[str, list[str]]:
    return {
        path: found
        for path, data in files.items()
        if path.endswith(".dart") and (found := dart_syntax_problems(data))
    }


@pytest.mark.parametrize("slug", mechanic_slugs())
def test_every_dart_file_of_every_mechanic_parses(slug):
    # given the whole mobile project of a mechanic's game
    files = mobile_project_files(spec=spec_validate(spec_data(slug)))
    dart = [path for path in files if path.endswith(".dart")]
    assert {"lib/main.dart", "lib/gf_runtime.dart", f"lib/mechanics/{slug}.dart"} <= set(dart)
    # then not one ERROR or MISSING node in any Dart file
    assert _dart_problems(files) == {}


@pytest.mark.parametrize("slug", mechanic_slugs())
@pytest.mark.parametrize("title", AWKWARD_TITLES)
def test_awkward_titles_leave_every_dart_file_parsing(slug, title):
    # given a game whose title has quotes, $, backslashes, braces, emoji or right-to-left text
    data = spec_data(slug)
    data["title"] = title
    # when its mobile project is rendered, then every Dart file still parses
    assert _dart_problems(mobile_project_files(spec=spec_validate(data))) == {}


@pytest.mark.parametrize(
    "broken",
    [
        b"void main() { final title = 'Bob's game'; }\n",  # a quote that was not escaped
        b"void main() { final title = '${oops'; }\n",  # an interpolation left open
        b"class A { void f( { } }\n",
        b"void main() { print('a') }\n",  # a missing semicolon
    ],
)
def test_the_check_sees_broken_dart(broken):
    assert dart_syntax_problems(broken)
