"""Recording sensitive actions into the audit trail.

Every app records through `record()`, into the model named by settings.AUDIT_ENTRY_MODEL (an
append-only table with the fields `record` fills: actor, action, target, unit, ip, before, after,
at). The request being served (set by `AuditMiddleware`)
gives each line the client's IP address; refused access is recorded in one place, the
middleware, when a view raises `Refused` (another unit's object, from the access helpers) or
PermissionDenied.
"""

import ipaddress
import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import get_exception_response
from django.http import Http404
from django.urls import get_resolver, get_urlconf
from django.views import debug

_current_request: ContextVar = ContextVar("audit_request", default=None)
_dated: ContextVar = ContextVar("audit_dated", default=None)

USER_AGENT_LENGTH = 200

# One line per expected refusal (method, path, user, what was refused); see AuditMiddleware.
refusal_logger = logging.getLogger("portal.refused")


def current_request():
    """The request this thread (or task) is serving, or None outside a request."""
    return _current_request.get()


def client_ip(request) -> str | None:
    """The client's address, for the audit trail and the sign-in lockout alike: REMOTE_ADDR,
    or behind TRUSTED_PROXY_COUNT reverse proxies the address the outermost of them saw (the
    addresses left of it in X-Forwarded-For are whatever the client chose to send)."""
    if request is None:
        return None
    candidate = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate.strip()))
    except ValueError:
        return None


@contextmanager
def dated(at):
    """Lines recorded inside the block carry the time `at` instead of now.

    For the demo loaders, which replay a year of work through the services: the trail is
    append-only, so lines get their day when inserted rather than being moved afterwards.
    """
    token = _dated.set(at)
    try:
        yield
    finally:
        _dated.reset(token)


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH] if request else ""


def audit_model():
    """The model the trail is stored in (settings.AUDIT_ENTRY_MODEL, "app_label.Model")."""
    return apps.get_model(settings.AUDIT_ENTRY_MODEL)


def _unit_model():
    # The kind of object a line's `unit` names, as the trail's model declares it.
    return audit_model()._meta.get_field("unit").related_model


def _unit_id_of(target):
    """The unit an object concerns: a unit itself, an object's `audit_unit_id` (models whose
    unit sits one relation away say so), or its `unit_id`."""
    if target is None:
        return None
    if isinstance(target, _unit_model()):
        return target.pk
    found = getattr(target, "audit_unit_id", None)
    if found is None:
        found = getattr(target, "unit_id", None)
    return found if isinstance(found, int) else None


def record(*, actor, action: str, target=None, before=None, after=None, unit=None,
           request=None):
    """Append one audit line. Call it inside the same transaction as the change it records.

    `unit` (a Unit or its id) defaults to the unit of `target`; the IP address comes from
    `request`, by default the request being served.
    """
    request = request if request is not None else current_request()
    entry = audit_model()(actor=actor if actor and actor.is_authenticated else None, action=action,
                       before=before, after=after, ip=client_ip(request))
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target)
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:300]
    entry.unit_id = (unit.pk if isinstance(unit, _unit_model()) else unit) \
        if unit is not None else _unit_id_of(target)
    if _dated.get() is not None:
        entry.at = _dated.get()
    entry.save()
    return entry


# --- Refused access -----------------------------------------------------------------------

class Refused(Http404):
    """404 for an object that exists but is not the viewer's: answered like any missing page
    (the viewer must not learn it exists), recorded as refused access with the object."""

    def __init__(self, target=None):
        super().__init__()
        self.target = target


class Forbidden(PermissionDenied):
    """403 for an action the viewer may not take on an object they may see."""

    def __init__(self, target=None):
        super().__init__()
        self.target = target


def record_refusal(request, exception, status: int):
    target = getattr(exception, "target", None)
    user = getattr(request, "user", None)
    return record(actor=user, action="access.denied", target=target, request=request,
                  after={"path": request.path[:500], "method": request.method,
                         "status": status, "user_agent": user_agent(request)})


class AuditMiddleware:
    """Keeps the request at hand for `record()`, and records refused access.

    Refusals are written here, after the view has returned by raising: any atomic block the
    view opened has rolled back by then, so the line is not lost with it (ATOMIC_REQUESTS is
    off). An ordinary 404 for a page that does not exist is not recorded: only `Refused`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)

    def process_exception(self, request, exception):
        """Refusals are answered here, as Django would (the 403 and 404 pages), but logged as
        one line: Django logs every PermissionDenied with its traceback, which buried the real
        errors of the server log under expected refusals. Anything else goes on to Django."""
        if isinstance(exception, Refused):
            status = 404
        elif isinstance(exception, PermissionDenied):
            status = 403
        else:
            return None
        record_refusal(request, exception, status)
        if status == 404 and settings.DEBUG:
            response = debug.technical_404_response(request, exception)
        else:
            response = get_exception_response(request, get_resolver(get_urlconf()), status,
                                              exception)
        refusal_logger.warning("Refused %s %s %s (user %s): %s", status, request.method,
                               *map(_escaped, (request.path, _username(request),
                                               _reason(exception))))
        response._has_been_logged = True  # Django's own "Forbidden: …" line would repeat it
        return response


def _escaped(text: str) -> str:
    # As Django does for its request log: a crafted path cannot forge extra log lines.
    return text.encode("unicode_escape").decode("ascii")


def _username(request) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return user.get_username()


def _reason(exception) -> str:
    """What was refused: the exception's message, else the object it names, else its kind."""
    message = str(exception).strip()
    if message:
        return message
    target = getattr(exception, "target", None)
    if target is not None:
        return f"{type(target).__name__} {target.pk}"
    return "not the viewer's" if isinstance(exception, Refused) else "permission denied"
