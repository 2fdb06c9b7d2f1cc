"""Sign-in lockout (django-axes): a (username, address) pair, and separately an address.

Axes counts failures per lockout parameter; with the username alone as a parameter anyone could
lock anyone out (five wrong passwords from any address), and deputies' usernames are their mobile
numbers. So a username is locked only for the address it failed from (LOGIN_FAILURE_LIMIT
failures of the pair), and an address is locked when it has failed for LOGIN_ADDRESS_USERNAME_LIMIT
different usernames (password spraying), whatever the number of failures each.
"""

from django.conf import settings
from axes.handlers.database import AxesDatabaseHandler


class PairAndAddressHandler(AxesDatabaseHandler):
    """AXES_HANDLER. Expects AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]."""

    def get_failures(self, request, credentials=None) -> int:
        pair, address = self.get_user_attempts(request, credentials)
        failures = sum(pair.values_list("failures_since_start", flat=True))
        usernames = address.exclude(username=None).values("username").distinct().count()
        if usernames >= settings.LOGIN_ADDRESS_USERNAME_LIMIT:
            # Reported as the limit: axes compares failures with AXES_FAILURE_LIMIT.
            failures = max(failures, settings.AXES_FAILURE_LIMIT)
        return failures
