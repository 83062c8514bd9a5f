"""Marketplace listings under moderation: reported, held by the scanner, hidden and restored."""

from __future__ import annotations

import pytest

from marketplace import services as market
from marketplace.models import Listing
from moderation import services
from moderation.models import Case, ModerationAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(game, creator):
    return market.listing_create(game=game, user=creator, price_cents=299, blurb="A fast snake game.")


def test_three_reports_take_a_listing_off_sale_and_a_dismissal_puts_it_back(listing, reporters, moderator):
    # when
    for reporter in reporters:
        services.report_create(
            reporter=reporter, content_type="listing", content_id=listing.pk, reason="spam"
        )
    # then: hidden pending review
    listing.refresh_from_db()
    assert not listing.is_active and listing.held_for_review
    case = Case.objects.get(content_type="listing", content_id=str(listing.pk))
    assert case.held
    # when: the moderator dismisses the reports
    services.case_decide(case=case, moderator=moderator, action="dismiss")
    # then
    listing.refresh_from_db()
    assert listing.is_active and not listing.held_for_review


def test_a_held_blurb_keeps_the_listing_off_sale_and_queues_it(game, creator, settings):
    # given: a threshold that holds this blurb without refusing it
    settings.MODERATION_THRESHOLDS = {
        **settings.MODERATION_THRESHOLDS,
        "listing": {"hold": 0.6, "refuse": 2.0},
    }
    # when
    listing = market.listing_create(game=game, user=creator, price_cents=299, blurb="a bloody vampire hunt")
    # then
    assert not listing.is_active and listing.held_for_review
    case = Case.objects.get(content_type="listing", content_id=str(listing.pk))
    assert ModerationAction.objects.filter(case=case, verb="scan_hold").exists()


def test_deleting_a_listing_takes_it_off_sale_for_good(listing, reporters, moderator):
    # given
    report = services.report_create(
        reporter=reporters[0], content_type="listing", content_id=listing.pk, reason="malware"
    )
    # when
    services.report_decide(report=report, moderator=moderator, action="delete")
    # then
    listing = Listing.objects.get(pk=listing.pk)
    assert not listing.is_active and not listing.held_for_review
    assert not listing.game.play_restricted
