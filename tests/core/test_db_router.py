"""The read replica's router (core/db_router.py): writes and every read after a write go to the
primary; only the marked read-only pages read from the replica, and not for a few seconds after
the browser wrote.

Two database aliases: tests/settings.py adds `replica` as a test mirror of `default`, so both
see the same rows through two connections, and which one answered is told by the queries each
connection ran. Transactional tests: the mirror's connection sees only committed rows.
"""

import pytest
from django.db import connections
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt

from core.db_router import COOKIE, PrimaryReplicaRouter, reading_replica, reads_replica
from units.models import Unit

from ..factories import UnitFactory

# As LIVE (tests/helpers.py), with the second alias: the serialised rollback puts the award
# catalogue back after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True,
                                   databases=["default", "replica"])


@reads_replica
def count_units(request):
    return HttpResponse(str(Unit.objects.count()))


@reads_replica
@csrf_exempt
def add_then_count(request):
    UnitFactory(name="Trường mới", code="moi")
    return HttpResponse(str(Unit.objects.count()))


def count_units_unmarked(request):
    return HttpResponse(str(Unit.objects.count()))


# The module is its own URLconf for the tests marked `urls` below.
urlpatterns = [
    path("count/", count_units, name="count"),
    path("add/", add_then_count, name="add"),
    path("unmarked/", count_units_unmarked, name="unmarked"),
]


@pytest.fixture(autouse=True)
def _router(settings):
    settings.DATABASE_ROUTERS = ["core.db_router.PrimaryReplicaRouter"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "core.db_router.ReplicaMiddleware"]


class Queries:
    """The queries each alias ran inside the block."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"]).__enter__()
        self.replica = CaptureQueriesContext(connections["replica"]).__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    def on(self, alias, table):
        captured = self.primary if alias == "default" else self.replica
        return [q["sql"] for q in captured.captured_queries if table in q["sql"]]


def test_router_writes_go_to_primary():
    with reading_replica(), Queries() as queries:
        UnitFactory(name="Trường A", code="a")
    assert queries.on("default", "INSERT INTO")
    assert not queries.on("replica", "INSERT INTO")
    assert PrimaryReplicaRouter().db_for_write(Unit) == "default"


def test_router_read_in_marked_block_goes_to_replica():
    UnitFactory(name="Trường A", code="a")
    with reading_replica(), Queries() as queries:
        assert Unit.objects.count() == 1
    assert queries.on("replica", '"units_unit"')
    assert not queries.on("default", '"units_unit"')


def test_router_read_after_write_in_block_goes_to_primary():
    with reading_replica(), Queries() as queries:
        UnitFactory(name="Trường A", code="a")
        assert Unit.objects.count() == 1
    assert queries.on("default", "COUNT(")
    assert not queries.on("replica", "COUNT(")


def test_router_read_outside_marked_code_goes_to_primary():
    UnitFactory(name="Trường A", code="a")
    with Queries() as queries:
        assert Unit.objects.count() == 1
    assert queries.on("default", "COUNT(")
    assert not queries.on("replica", '"units_unit"')


@pytest.mark.urls("tests.core.test_db_router")
def test_marked_view_reads_replica(cast, client_for):
    client = client_for(cast.director)
    with Queries() as queries:
        response = client.get("/count/")
    assert response.content == b"6"  # the cast's units
    assert queries.on("replica", "COUNT(")
    assert not queries.on("default", "COUNT(")
    assert COOKIE not in response.cookies


@pytest.mark.urls("tests.core.test_db_router")
def test_unmarked_view_reads_primary(cast, client_for):
    with Queries() as queries:
        response = client_for(cast.director).get("/unmarked/")
    assert response.content == b"6"
    assert queries.on("default", "COUNT(")
    assert not queries.on("replica", "COUNT(")


@pytest.mark.urls("tests.core.test_db_router")
def test_marked_view_read_after_write_in_request_goes_to_primary(cast, client_for):
    with Queries() as queries:
        response = client_for(cast.director).get("/add/")
    assert response.content == b"7"
    assert queries.on("default", "COUNT(")
    assert not queries.on("replica", "COUNT(")
    assert response.cookies[COOKIE]["max-age"] == 5


@pytest.mark.urls("tests.core.test_db_router")
def test_marked_view_after_post_reads_primary(cast, client_for):
    client = client_for(cast.director)
    posted = client.post("/add/")
    assert posted.cookies[COOKIE]["max-age"] == 5
    # The next page (the redirect after the POST) carries the cookie: primary only.
    with Queries() as queries:
        response = client.get("/count/")
    assert response.content == b"7"
    assert queries.on("default", "COUNT(")
    assert not queries.on("replica", "COUNT(")
    # Once the cookie has expired, the replica again.
    client.cookies.pop(COOKIE)
    with Queries() as queries:
        client.get("/count/")
    assert queries.on("replica", "COUNT(")


def test_dashboard_reads_replica_and_sign_in_reads_primary(cast, client_for):
    client = client_for(cast.director)
    with Queries() as queries:
        response = client.get(reverse("tasks:review_dashboard"))
    assert response.status_code == 200
    assert queries.on("replica", '"units_unit"')
    # The session and the account were read from the primary, before the view ran.
    assert queries.on("default", "session")
    assert not queries.on("replica", "session")
    assert not queries.on("replica", '"auth_user"')
