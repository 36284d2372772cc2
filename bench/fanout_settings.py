"""Settings of the server that bench/chat_fanout.py starts: the embedded default's, with the
posting limits lifted (the bench posts up to 50 messages a second from a few members; the
limits themselves are unchanged for everyone else: 20 posts a minute per member, 30 frames per
10 seconds per socket). Posting counts the author's messages of the last minute up to the
limit: here up to 750 per poster at 50 a second, where real use stops at 21, so the bench
pays a little more for the check than a live site does. DJANGO_DEBUG=0, DATABASE_URL,
REDIS_URL and CHANNEL_LAYER come from the environment the bench gives the server."""

from comptoir.settings.dev import *  # noqa: F403

NETWORK_POST_RATE_LIMIT = (1_000_000, 60)
NETWORK_FRAME_LIMIT = (1_000_000, 10.0)
