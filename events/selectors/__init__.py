"""Every non-trivial read of the events app, one module an audience."""

from .sessions import places_taken, registration_of, session_get_for_member, session_list_upcoming

__all__ = ["places_taken", "registration_of", "session_get_for_member", "session_list_upcoming"]
