"""channels_redis's layer with its blocking read set from settings, and a pool that waits.

Upstream hard-codes a 5 s BZPOPMIN; redis-py's socket timeout (CHANNEL_LAYERS hosts) is set well above
it in settings, so a read that waits the full 5 s can never be cut by the socket timeout (the race
that dropped idle sockets with 1006 every ~5 s).

Upstream's pool (redis-py's ConnectionPool, 100 connections by default) raises "Too many connections"
when a burst of group sends needs more, which killed the consumer that sent (measured with 500
sockets per process in bench/multiplayer.py); a BlockingConnectionPool waits for a free connection.
"""

from __future__ import annotations

import redis.asyncio as aioredis
from channels_redis.core import RedisChannelLayer as UpstreamRedisChannelLayer


class RedisChannelLayer(UpstreamRedisChannelLayer):
    def __init__(self, *args, block_s: int = 5, **kwargs):
        super().__init__(*args, **kwargs)
        self.brpop_timeout = block_s

    def create_pool(self, index):
        host = dict(self.hosts[index])
        if "address" not in host:
            return super().create_pool(index)
        address = host.pop("address")
        return aioredis.BlockingConnectionPool.from_url(address, **host)
