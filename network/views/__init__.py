"""Pages of the network app: discussion channels and their moderation."""
