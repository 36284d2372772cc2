"""E-mails about the channels: mentions and digests of unread messages (being written)."""


def mention_mails_send(*, message_id: int) -> int:
    raise NotImplementedError
