"""Messages of Django and its apps whose French wording we choose ourselves.

Several installed apps translate the same English message differently; listing them here puts
them in Comptoir's own catalogue, which Django reads first.
"""

from django.utils.translation import gettext_noop

OVERRIDDEN_MESSAGES = [
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid email address."),
]
