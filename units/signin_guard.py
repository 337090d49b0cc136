"""The sign-in lockout's handler (AXES_HANDLER): django-axes' database handler with a second,
larger count per address.

The lock per username and address (AXES_LOCKOUT_PARAMETERS) cannot see someone trying one
password on many usernames; axes' own "ip_address" parameter would share the per-account limit
(5), locking a whole school behind one NAT address after five typos. So an address is locked
only after LOGIN_ADDRESS_FAILURE_LIMIT failures across all usernames within the cool-off.

Imported by axes (by its dotted path) once the apps are ready, never at start-up.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit

from .accounts import address_locked


class SignInGuardHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if address_locked(request):
            return max(failures, get_failure_limit(request, credentials))
        return failures
