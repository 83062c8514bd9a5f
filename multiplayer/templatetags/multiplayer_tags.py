"""`{% play_with_friends game %}`: the game page's "Play with friends" button, only for a game whose
spec plays multiplayer."""

from django import template

from generation import selectors as generation_selectors

register = template.Library()


@register.inclusion_tag("multiplayer/_play_with_friends.html")
def play_with_friends(game):
    mode = generation_selectors.multiplayer_mode(getattr(game, "spec", None)) if game.is_listed else None
    return {"game": game, "mode": mode}
