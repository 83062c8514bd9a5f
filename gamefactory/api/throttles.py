"""Throttles with the seed's rates; every rate is read from settings.THROTTLE_RATES.

Every per-address limit (these throttles, the ingest throttle, the login lockout's record) names the
client with `client_ip`: REMOTE_ADDR, or with TRUSTED_PROXIES = N the address N proxies back in
X-Forwarded-For (DRF's NUM_PROXIES), never a header the client itself chose.
"""

from rest_framework.throttling import AnonRateThrottle, BaseThrottle, SimpleRateThrottle, UserRateThrottle


def client_ip(request) -> str | None:
    """The client's address as every limit sees it (an HttpRequest or a DRF Request); None if unknown."""
    return BaseThrottle().get_ident(request) or None


class ApiCallsUserThrottle(UserRateThrottle):
    scope = "api_calls"


class ApiCallsAnonThrottle(AnonRateThrottle):
    scope = "api_calls_anon"


class AuthThrottle(SimpleRateThrottle):
    """Strict, per client address, on login, register and forgot-password (brute force)."""

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PerUserScopedThrottle(SimpleRateThrottle):
    """A named scope counted per user (or per address for anonymous callers)."""

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            ident = str(request.user.pk)
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AIGenerationThrottle(PerUserScopedThrottle):
    scope = "ai_generation"


class GameUploadThrottle(PerUserScopedThrottle):
    scope = "game_upload"
