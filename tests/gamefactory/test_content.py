"""The content-check contract every app calls on text users write (gamefactory/content.py)."""

import pytest

from gamefactory.content import ContentVerdict, content_check, content_held
from gamefactory.errors import ApplicationError

CALLS = []


def refusing_scanner(*, kind, text, field, user):
    CALLS.append((kind, text, field, user))
    if "forbidden" in text:
        return ContentVerdict(action="refuse", labels=("test",), reason="Forbidden word.")
    if "borderline" in text:
        return ContentVerdict(action="hold", labels=("test",), reason="Held for review.")
    return ContentVerdict()


HELD = []


def recording_hold_handler(**kwargs):
    HELD.append(kwargs)


def test_allow_everything_switches_scanning_off(settings):
    # given
    settings.CONTENT_SCANNER = "gamefactory.content.allow_everything"
    # when
    verdict = content_check(kind="title", text="anything at all, even fuck", field="title")
    # then
    assert verdict.allowed


def test_content_held_reports_only_holding_verdicts(settings):
    # given
    settings.CONTENT_HOLD_HANDLER = "tests.gamefactory.test_content.recording_hold_handler"
    HELD.clear()
    hold = ContentVerdict(action="hold", labels=("x",))
    # when
    content_held(verdicts=[ContentVerdict(), None], content_type="game", content_id="1")
    content_held(verdicts=[ContentVerdict(), hold], content_type="game", content_id="2", user=None)
    # then
    assert [{"verdicts": [hold], "content_type": "game", "content_id": "2", "user": None}] == HELD


def test_refuse_raises_on_the_field_with_the_reason(settings):
    # given
    settings.CONTENT_SCANNER = "tests.gamefactory.test_content.refusing_scanner"
    # when
    with pytest.raises(ApplicationError) as caught:
        content_check(kind="prompt", text="a forbidden game", field="prompt")
    # then
    assert caught.value.code == "content_refused"
    assert caught.value.fields == {"prompt": ["Forbidden word."]}


def test_hold_is_returned_for_the_caller_and_refuse_can_be_returned_too(settings):
    # given
    settings.CONTENT_SCANNER = "tests.gamefactory.test_content.refusing_scanner"
    # when
    held = content_check(kind="description", text="a borderline text", field="description")
    refused = content_check(kind="chat", text="forbidden", field="message", raise_on_refuse=False)
    # then
    assert held.action == "hold" and not held.allowed
    assert refused.action == "refuse"


def test_empty_text_is_not_scanned(settings):
    # given
    settings.CONTENT_SCANNER = "tests.gamefactory.test_content.refusing_scanner"
    CALLS.clear()
    # when
    verdict = content_check(kind="title", text="", field="title")
    # then
    assert verdict.allowed and CALLS == []
