"""Reads from a PostgreSQL streaming replica, for the pages that only read (issue 19, item 4).

Active only when DATABASE_REPLICA_URL is set (config/settings.py adds the `replica` alias, this
router and `ReplicaMiddleware`); without it nothing here runs.

Why an opt-in list rather than routing every read to the replica: a streaming replica lags the
primary by a few milliseconds to seconds, and most of the portal's pages read what the user has
just written (the report after its save, the review queue after an accept, a form's `version`
for the stale-edit guard). Sending every read to the replica would show them the old value now
and then; finding every such read is not possible. The pages that profit from the replica are
few and heavy and only read: the dashboards, the rankings, the exports and the history search.
They are named once, here (`REPLICA_VIEWS`), by URL name so that a view rewritten elsewhere keeps
its place (the exports moving to the background worker keep their URL names), or marked with
`@reads_replica`; code outside a request may opt in with `with reading_replica():`.

And even on those pages the primary is used:
- for every write, and for every read after the request's first write (the router's
  `db_for_write` notes it) or inside a transaction on the primary;
- for the whole request when the browser carries the "recently wrote" cookie, which any request
  that wrote (or any POST) sets for `REPLICA_AFTER_WRITE_SECONDS` (5 s by default): the page a
  POST redirects to is read from the primary, so a user who just saved never sees the old value;
- for the accounts, sessions and sign-in records, whatever the page (`PRIMARY_ONLY`): signing
  in, the idle timeout and the lockout must never see a stale row.
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
COOKIE = "recent_write"

# The read-only pages sent to the replica, by URL name (namespace:name).
REPLICA_VIEWS = frozenset({
    # dashboards
    "scoring:dashboard",
    "scoring:dashboard_pdf",
    "scoring:dashboard_mine",
    "scoring:dashboard_unit",
    "scoring:years",
    "tasks:review_dashboard",
    "tasks:figure_list",  # the rows behind each dashboard figure
    # rankings
    "scoring:ranking",
    # exports
    "scoring:export",
    "scoring:cluster_export",
    "tasks:progress_export",
    "awards:registration_export",
    # history search
    "awards:history",
})

# Only the portal's own data goes to the replica; of it, never the accounts' security rows.
REPLICA_APPS = frozenset({"units", "campaigns", "tasks", "scoring", "awards"})
PRIMARY_ONLY = frozenset({"units.usersession", "units.accountsecurity", "units.passwordhistory"})
# Writes that do not make a request "one that wrote": the session's last-activity stamp is
# saved on nearly every request and is never read from the replica.
NOT_A_WRITE = frozenset({"units.usersession", "sessions.session"})


@dataclass
class _State:
    replica: bool = False  # this request (or block) may read from the replica
    wrote: bool = False  # it has written (or asked for a connection to write)


_state: ContextVar[_State | None] = ContextVar("db_router_state", default=None)


def sticky_seconds() -> int:
    return getattr(settings, "REPLICA_AFTER_WRITE_SECONDS", 5)


@contextmanager
def reading_replica():
    """Reads inside the block may go to the replica (until the block's first write)."""
    current = _state.get()
    if current is not None:
        before = current.replica
        current.replica = not current.wrote
        try:
            yield
        finally:
            current.replica = before
        return
    token = _state.set(_State(replica=True))
    try:
        yield
    finally:
        _state.reset(token)


def reads_replica(view):
    """Marks a view as one whose GETs may read from the replica (see the module's docstring)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.reads_replica = True
    return wrapped


class PrimaryReplicaRouter:
    """Writes to the primary; reads to the replica only where `_State.replica` allows it."""

    def db_for_read(self, model, **hints):
        state = _state.get()
        if (state is None or not state.replica or state.wrote
                or model._meta.app_label not in REPLICA_APPS
                or model._meta.label_lower in PRIMARY_ONLY
                or REPLICA not in connections.settings
                or connections[PRIMARY].in_atomic_block):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None and model._meta.label_lower not in NOT_A_WRITE:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: an object read from either relates to both.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A streaming replica is read-only; it gets the schema from the primary's WAL.
        return db != REPLICA


class ReplicaMiddleware:
    """Lets the views of REPLICA_VIEWS (or marked @reads_replica) read from the replica, and
    marks the browser for a few seconds after a request that wrote.

    Last in MIDDLEWARE but for django-axes (which asks to be last and reads nothing of ours):
    the account, session and permission checks of the other middleware have read from the
    primary before `process_view` here opens the replica to the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _State()
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote or request.method == "POST":
            response.set_cookie(COOKIE, "1", max_age=sticky_seconds(), httponly=True,
                                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _state.get()
        match = request.resolver_match
        marked = (getattr(view_func, "reads_replica", False)
                  or (match is not None and match.view_name in REPLICA_VIEWS))
        state.replica = (marked and request.method in ("GET", "HEAD")
                         and COOKIE not in request.COOKIES and not state.wrote)
