"""Two saves of one report at the same moment on SQLite — a database file, as `make run` uses —
end in one save and one conflict message, never a 500 "database is locked".

SQLite's default transaction asks for the write lock at its first write, after reading: when
two overlap, the second cannot upgrade and fails. `transaction_mode: IMMEDIATE` (config/settings.py)
takes the lock at BEGIN, so the second waits for the first, then finds the newer version.
"""

import sqlite3
import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from tasks import services

from ..helpers import LIVE

pytestmark = [
    LIVE,
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
                       reason="SQLite's locking; PostgreSQL has row locks (tests/security)"),
]


def test_sqlite_takes_the_write_lock_at_the_start_and_waits_for_it():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 10


def _copy_to_file(path, journal_mode):
    """The test database (in memory) copied into a file, with the portal's journal mode."""
    target = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.execute(f"PRAGMA journal_mode={journal_mode}")
    target.close()


@pytest.mark.parametrize("journal_mode", ["wal", "delete"])
def test_two_saves_of_one_report_at_once_give_one_save_and_one_conflict(cast, work, tmp_path,
                                                                        journal_mode):
    report = services.save_report(assignment=work.assignment_a,
                                  period=work.assignment_a.period("2022-Q1"),
                                  data={"value": Decimal(50), "narrative": "Trước."},
                                  user=cast.head_a)
    url = reverse("tasks:report", args=[report.pk])
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(cast.head_a)  # two tabs, or two people: the same first version
    path = tmp_path / "portal.sqlite3"
    _copy_to_file(path, journal_mode)

    start = threading.Barrier(2)
    answers = [None, None]

    def save(n):
        try:
            start.wait()
            answers[n] = clients[n].post(url, {"version": "1", "value": str(60 + n),
                                               "narrative": f"Lần lưu {n}", "action": "save"})
        except Exception as error:  # a 500 raises in the test client: keep it to show
            answers[n] = error
        finally:
            connections["default"].close()

    # Each thread opens its own connection from the settings: to the file, not the memory.
    database = connections.settings["default"]
    memory = database["NAME"]
    database["NAME"] = str(path)
    try:
        threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        database["NAME"] = memory

    assert not any(isinstance(a, Exception) for a in answers), answers
    assert sorted(a.status_code for a in answers) == [200, 302]
    saved = next(a for a in answers if a.status_code == 302)
    conflict = next(a for a in answers if a.status_code == 200)
    assert str(services.ReportConflict.message) in conflict.content.decode()
    winner = answers.index(saved)
    with sqlite3.connect(path) as stored:
        narratives = stored.execute("SELECT narrative, version FROM tasks_progressreport"
                                    ).fetchall()
        saves = stored.execute("SELECT COUNT(*) FROM tasks_reportevent WHERE action = 'saved'"
                               ).fetchone()[0]
    assert narratives == [(f"Lần lưu {winner}", 2)]
    assert saves == 2  # the first draft and the one save that won
    # The loser's typing is still in its form, beside the stored version.
    assert conflict.context["form"]["narrative"].value() == f"Lần lưu {1 - winner}"
