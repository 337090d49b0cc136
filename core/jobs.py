"""Long downloads built by the background worker, asked for by any app.

An app's heavy export (the audit trail's workbook in units, the progress of a plan in tasks, the
ranking, the meeting PDF and a cluster's ranking in scoring, the year's registrations in awards)
registers here a *job kind* — how to count its rows and how to build its file — and its view
calls `deliver_job`: small files are built in the request, large ones are queued and the person
is sent to the worker's "being prepared" page, which reloads until the file is ready.

Why a registry here rather than the worker itself: the worker's table
(`awards.GeneratedDocument`), its status page and "My documents" already live in awards, with
their URLs and years of rows. Moving the model to core would take a state-only migration in two
apps and a rename of every reference, for no gain to anyone using the portal. The smallest change
that keeps imports pointing one way (units <- campaigns <- tasks <- scoring <- awards, core under
all) is this: apps to the left of awards register their kinds here and ask `queue`; awards, from
its AppConfig.ready, installs the queue (it records a GeneratedDocument and sends it to its
worker), and its worker builds kinds of this registry with `build`. Without awards installed
nothing is queued and every file is built in the request.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation

# Rows built in the request at most; more go to the worker. The same limit as the awards
# documents (awards.documents.DIRECT_ROWS reads it from here).
DIRECT_ROWS = 300


@dataclass(frozen=True)
class Built:
    content: bytes
    filename: str  # ASCII
    content_type: str
    rows: int
    pages: int | None = None  # PDFs only


@dataclass(frozen=True)
class JobKind:
    # (params) -> the number of rows the file will list: decides request or worker.
    rows: Callable[[dict], int]
    # (params, progress) -> Built; progress(percent) is called as rows are written, or is None
    # in a web request (nobody watches: a kind may skip counting what it needs for percents).
    build: Callable[[dict, Callable[[int], None] | None], Built]
    fmt: str = "xlsx"  # the format of the file, as "My documents" shows it
    direct_rows: int = DIRECT_ROWS


KINDS: dict[str, JobKind] = {}

# Installed by the app that runs the worker (awards.apps): a function
# (*, user, kind, params, fmt, title) -> the URL of the new job's status page.
_queue: Callable[..., str] | None = None


def register(name: str, kind: JobKind) -> None:
    KINDS[name] = kind


def install_queue(function: Callable[..., str]) -> None:
    global _queue
    _queue = function


def build(name: str, params: dict, progress: Callable[[int], None] | None = None) -> Built:
    """Build the file of the kind `name`, in the language it was asked in (params["language"]),
    so that the worker's file reads as the direct download would have. KeyError for a kind
    that is not registered."""
    kind = KINDS[name]
    with translation.override(params.get("language") or translation.get_language()):
        return kind.build(params, progress)


def wants_worker(name: str, params: dict, *, background: bool = False) -> bool:
    """Whether this file goes to the worker: it is asked for so, or it has more rows than
    the kind builds in the request — and a worker is installed to take it."""
    if _queue is None:
        return False
    kind = KINDS[name]
    return background or kind.rows(params) > kind.direct_rows


def queue(*, user, name: str, params: dict, title: str) -> str:
    """Record and queue the job; the URL of its status page. Only when `wants_worker`.
    `params` are stored as JSON: ids and plain values only."""
    params = {**params, "language": translation.get_language()}
    return _queue(user=user, kind=name, params=params, fmt=KINDS[name].fmt, title=str(title))
