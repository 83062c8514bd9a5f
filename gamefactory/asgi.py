"""ASGI entry point: HTTP through Django, websockets through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamefactory.settings")

# Django must be set up before anything imports models (consumers, routing).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from gamefactory.routing import websocket_urlpatterns  # noqa: E402


class OriginPolicy:
    """Browsers always send `Origin` on a websocket: one that is not ours (ALLOWED_HOSTS) is refused,
    so another site cannot ride a player's cookie. Native clients send none: they are let through with
    their cookies dropped, so only a JWT (`?token=` or subprotocol) can sign them in."""

    def __init__(self, app):
        self.app = app
        self.checked = AllowedHostsOriginValidator(app)

    async def __call__(self, scope, receive, send):
        headers = scope.get("headers") or []
        if scope.get("type") == "websocket" and not any(name == b"origin" for name, _ in headers):
            scope = dict(scope, headers=[(n, v) for n, v in headers if n != b"cookie"])
            return await self.app(scope, receive, send)
        return await self.checked(scope, receive, send)


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginPolicy(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
