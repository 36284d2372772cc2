"""Settings of the daphne processes started by the multi-process and Redis fault tests: the
test settings, with the consumers' periodic check made as frequent as the test needs and the
channel layer's keys under a prefix of the test's own."""

import os

from comptoir.settings.test import *  # noqa: F403

NETWORK_RESYNC_SECONDS = float(os.environ.get("COMPTOIR_TEST_RESYNC_SECONDS", "20"))
if "CONFIG" in CHANNEL_LAYERS["default"]:  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = os.environ.get(  # noqa: F405
        "COMPTOIR_TEST_LAYER_PREFIX", "asgi"
    )
