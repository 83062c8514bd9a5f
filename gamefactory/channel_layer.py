"""channels_redis's layer with its blocking read set from settings.

Upstream hard-codes a 5 s BZPOPMIN; redis-py's socket timeout (CHANNEL_LAYERS hosts) is set well above
it in settings, so a read that waits the full 5 s can never be cut by the socket timeout (the race
that dropped idle sockets with 1006 every ~5 s).
"""

from __future__ import annotations

from channels_redis.core import RedisChannelLayer as UpstreamRedisChannelLayer


class RedisChannelLayer(UpstreamRedisChannelLayer):
    def __init__(self, *args, block_s: int = 5, **kwargs):
        super().__init__(*args, **kwargs)
        self.brpop_timeout = block_s
