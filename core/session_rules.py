"""What a signed-in session must obey, on every request: the idle timeout, the absolute
lifetime, the forced password change, and no copy of a signed-in page in the browser's cache.

Both read only the session (kept there at sign-in by units.accounts), so an ordinary page
costs no query.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Session keys (underscored like Django's own, so they never clash with a page's data).
LAST_ACTIVITY = "_last_activity"
SIGNED_IN_AT = "_signed_in_at"
PASSWORD_CHANGE_REASON = "_password_change_reason"
PASSWORD_EXPIRES = "_password_expires"

SET_BY_ADMINISTRATOR = "set_by_administrator"
EXPIRED = "expired"

# The last activity is written at most this often (seconds), so reading pages does not write
# the session on every request; the idle timeout is therefore exact to within this much.
ACTIVITY_RESOLUTION = 60

# What a person who must change their password may still reach.
ALLOWED_DURING_PASSWORD_CHANGE = {
    "password_change", "password_change_done", "logout", "set_language", "admin:logout",
}


class SessionIdleTimeoutMiddleware:
    """End a session after SESSION_IDLE_MINUTES without a request (0: never).

    The time of the last request lives in the session itself, so it holds across processes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        idle_minutes = settings.SESSION_IDLE_MINUTES
        if idle_minutes and request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and now - last > idle_minutes * 60:
                logout(request)
                # The message survives the flushed session: it travels in a cookie.
                messages.warning(request, _(
                    "Your session has expired after %(minutes)d minutes without activity. "
                    "Please sign in again."
                ) % {"minutes": idle_minutes})
            elif last is None or now - last >= ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """End a session SESSION_MAX_HOURS after sign-in, however active (0: never).

    OWASP ASVS 3.3.2: an idle timeout alone lets a session on a shared school computer live
    for as long as someone keeps using it. The sign-in time lives in the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        max_hours = settings.SESSION_MAX_HOURS
        if max_hours and request.user.is_authenticated:
            now = int(time.time())
            signed_in = request.session.get(SIGNED_IN_AT)
            if signed_in is None:
                # A session from before this rule: its lifetime starts now.
                request.session[SIGNED_IN_AT] = now
            elif now - signed_in > max_hours * 3600:
                logout(request)
                messages.warning(request, ngettext(
                    "You signed in more than %(hours)d hour ago. Please sign in again.",
                    "You signed in more than %(hours)d hours ago. Please sign in again.",
                    max_hours,
                ) % {"hours": max_hours})
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in person, so a shared
    computer's browser keeps no copy of their pages, downloads or exports (ASVS 8.2.1).

    Static files never reach this middleware (WhiteNoise answers them first).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Merged into what a view set (e.g. a download's own no-store), never replacing it.
            patch_cache_control(response, no_store=True, no_cache=True, private=True,
                                max_age=0)
        return response


class PasswordChangeRequiredMiddleware:
    """Until a person replaces a password an administrator set (or one that expired), every page
    but the change page and sign-out leads to the change page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or not password_change_due(request.session):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_DURING_PASSWORD_CHANGE:
            return None
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        return redirect("password_change")


def password_change_due(session) -> str | None:
    """Why the signed-in person must change their password before anything else, or None."""
    reason = session.get(PASSWORD_CHANGE_REASON)
    if reason:
        return reason
    expires = session.get(PASSWORD_EXPIRES)
    if expires is not None and time.time() >= expires:
        return EXPIRED
    return None
