"""Load and fault test: the portal as production runs it, under concurrent users, while one app
process and then the database are restarted; afterwards the database is checked against what the
clients were told.

    .venv/bin/python deploy/loadtest.py [--seconds 60] [--clients 16]     (or `make loadtest`)

What it does (docs/loadtest.md explains the output):

1. a throwaway PostgreSQL on loopback (ICU vi-VN, fsync off), `migrate`, `load_demo --force`,
   `collectstatic`; it is stopped and deleted at the end, whatever happens;
2. two gunicorn processes of 2 workers each, with production settings (DEBUG=false, a random
   SECRET_KEY, CONN_MAX_AGE=0; only the HTTPS-only cookies and redirects are off, since this is
   plain HTTP on loopback), and the background worker (`manage.py db_worker`);
3. client threads, each request going to the two processes in turn: unit heads saving and
   submitting the same reports at the same moment, the Office and the Union accepting and
   returning them, the director reading the dashboards; everyone signs in again now and then;
4. a quarter of the way in, one app process is stopped (SIGTERM) and started again; at half
   time the other is reloaded (SIGHUP, as a deployment would); at three quarters the database is
   restarted (`pg_ctl restart -m fast`); the run goes on at least 6 s after that;
5. the requests by kind and outcome with latencies, then the checks of `deploy/loadcheck.py`.

Exit status 1 when a check fails (or the set-up does), 0 otherwise.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's bin: python, gunicorn
PASSWORD = "thidua2022"  # load_demo's default for every demo account
REQUEST_TIMEOUT = 15  # seconds; a request taking longer counts as a timeout
SLOT = 3.0  # seconds during which every writer of a unit aims at the same report
AFTER_FAULTS = 6.0  # seconds of load at least once the database is back
START = time.monotonic()
WORKERS = 2  # gunicorn sync workers per app process
RECENT_WRITE = "recent_write"  # core.db_router.COOKIE (not imported: Django is set up later)


def log(message):
    print(f"[{time.monotonic() - START:6.1f}s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the throwaway database (as scripts/with-postgres.sh) -------------------------------------

class Postgres:
    def __init__(self, workdir: Path, name="pg", extra=""):
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                       key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
        if not found:
            sys.exit("PostgreSQL is not installed: run 'make system-deps'.")
        self.bin = found[-1]
        self.dir = workdir / name
        self.dir.mkdir()
        self.port = free_port()
        # initdb and postgres refuse to run as root: run them as the postgres system user then.
        self.as_pg = []
        if os.getuid() == 0:
            if subprocess.run(["id", "postgres"], capture_output=True).returncode:
                subprocess.run(["useradd", "--system", "--home-dir", "/var/lib/postgresql",
                                "postgres"], check=True)
            shutil.chown(self.dir, "postgres")
            self.as_pg = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        self.options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                        + (f" {extra}" if extra else ""))

    def _run(self, tool, *args, check=True):
        return subprocess.run([*self.as_pg, str(self.bin / tool), *args], cwd="/", check=check,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def start(self):
        self._run("initdb", "-D", f"{self.dir}/data", "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--locale-provider=icu",
                  "--icu-locale=vi-VN")
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/server.log", "-w",
                  "-o", self.options, "start")

    def restart(self):
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/server.log", "-w",
                  "-m", "fast", "-o", self.options, "restart")

    def stop(self):
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "stop", check=False)


class Replica(Postgres):
    """A hot standby streaming from `primary` over loopback: `pg_basebackup -R` copies the
    primary's files and writes the standby's connection settings, then it is started on its own
    port and socket directory. hot_standby_feedback keeps the primary's vacuum from cancelling
    a dashboard's query on the standby; a short retry interval has it reconnect within 0.5 s
    when the primary restarts (the default waits 5 s)."""

    def __init__(self, workdir: Path, primary: Postgres):
        super().__init__(workdir, "replica", "-c hot_standby=on -c hot_standby_feedback=on "
                                             "-c wal_retrieve_retry_interval=500ms")
        self.primary = primary

    def start(self):
        self._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary.port),
                  "-U", "postgres", "-D", f"{self.dir}/data", "-R", "-X", "stream",
                  "-c", "fast")
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/server.log", "-w",
                  "-o", self.options, "start")


class LagMonitor(threading.Thread):
    """The replica's lag as the primary sees it (pg_stat_replication), every 0.25 s: replay
    lag in seconds (how long a commit took to become visible on the replica) and bytes of WAL
    not yet replayed; `disconnected` counts the samples without a connected standby."""

    def __init__(self, primary: Postgres):
        super().__init__(daemon=True, name="lag")
        self.primary = primary
        self.seconds, self.bytes, self.disconnected = [], [], 0
        self.stop = threading.Event()

    def run(self):
        import psycopg2

        conn = None
        while not self.stop.wait(0.25):
            try:
                if conn is None or conn.closed:
                    conn = psycopg2.connect(host="127.0.0.1", port=self.primary.port,
                                            user="postgres", dbname="postgres",
                                            connect_timeout=2)
                    conn.autocommit = True
                with conn.cursor() as cursor:
                    cursor.execute(
                        "SELECT EXTRACT(EPOCH FROM replay_lag), "
                        "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) "
                        "FROM pg_stat_replication WHERE state = 'streaming'")
                    row = cursor.fetchone()
            except psycopg2.Error:  # the primary is restarting
                conn = None
                continue
            if row is None:
                self.disconnected += 1
                continue
            if row[0] is not None:
                self.seconds.append(float(row[0]))
            if row[1] is not None:
                self.bytes.append(int(row[1]))
        if conn is not None:
            conn.close()

    def summary(self) -> str:
        if not self.seconds:
            return (f"no replay lag sampled ({len(self.bytes)} samples, "
                    f"{self.disconnected} without a streaming standby)")
        return (f"replay lag p50 {percentile(self.seconds, .5) * 1000:.1f} ms, "
                f"p95 {percentile(self.seconds, .95) * 1000:.1f} ms, "
                f"max {max(self.seconds) * 1000:.1f} ms; WAL behind max "
                f"{max(self.bytes, default=0) / 1024:.0f} kB; {len(self.seconds)} samples, "
                f"{self.disconnected} without a streaming standby (the primary's restart)")


# -- the app processes ------------------------------------------------------------------------

class Process:
    """gunicorn or the worker, in its own session so that Ctrl+C reaches only this script."""

    def __init__(self, name, command, env, logdir):
        self.name, self.command, self.env = name, command, env
        self.log_path = logdir / f"{name}.log"
        self.proc = None

    def start(self):
        log_file = open(self.log_path, "a")  # noqa: SIM115 (kept open by the child)
        self.proc = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=log_file,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        log_file.close()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, wait=20):
        if not self.alive():
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(wait)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def tail(self, lines=15) -> str:
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return ""


class Supervised(Process):
    """Started again 2 s after it exits, as systemd's `Restart=always` does for the worker's
    service in production (README.md): `db_worker` exits when the database goes away."""

    def __init__(self, *args):
        super().__init__(*args)
        self.exits = []  # the exit statuses seen
        self.supervising = threading.Event()
        self.lock = threading.Lock()  # a restart and `stop` never cross

    def start(self):
        super().start()
        if not self.supervising.is_set():
            self.supervising.set()
            threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self):
        while self.supervising.is_set():
            if self.proc.poll() is not None and self.supervising.is_set():
                self.exits.append(self.proc.returncode)
                time.sleep(2)
                with self.lock:
                    if self.supervising.is_set():
                        Process.start(self)
            time.sleep(0.2)

    def stop(self, sig=signal.SIGTERM, wait=20):
        with self.lock:
            self.supervising.clear()
        super().stop(sig, wait)


class App(Process):
    def __init__(self, name, port, env, logdir):
        super().__init__(name, [str(BIN / "gunicorn"), "config.wsgi:application",
                                "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
                                "--timeout", "30", "--graceful-timeout", "15"], env, logdir)
        self.port = port

    def reload(self, timeout=60):
        """SIGHUP: gunicorn boots new workers and retires the old ones, keeping its socket."""
        offset = self.log_path.stat().st_size
        self.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log_path) as log_file:
                log_file.seek(offset)
                if log_file.read().count("Booting worker") >= 2:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not reload in {timeout} s:\n{self.tail()}")

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"{self.name} exited:\n{self.tail()}")
            try:
                if Session([self.port], "probe").request("GET", "/accounts/login/").status == 200:
                    return
            except Failure:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready after {timeout} s:\n{self.tail()}")


# -- a browser-like client --------------------------------------------------------------------

class Failure(Exception):
    """A request that got no HTTP answer: refused, reset or timeout."""

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


@dataclass
class Response:
    status: int
    body: str
    location: str
    path: str  # the path asked for
    seconds: float = 0.0


class FormParser(HTMLParser):
    """Each form of a page: its action and the values of its named inputs."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.textarea = None  # the name of the textarea being read: its text is its value

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}})
        elif tag in ("input", "textarea", "select") and self.forms and attrs.get("name"):
            self.forms[-1]["fields"].setdefault(attrs["name"], attrs.get("value") or "")
            if tag == "textarea":
                self.textarea = attrs["name"]

    def handle_data(self, data):
        if self.textarea is not None:
            self.forms[-1]["fields"][self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None


def forms_of(body):
    parser = FormParser()
    parser.feed(body)
    return parser.forms


SUCCESS = re.compile(r'class="alert alert-success"')
# A refusal: an error message, or the stale page's conflict box (the stored version beside
# what was typed), which is a warning.
DANGER = re.compile(r'class="alert alert-danger"|class="alert alert-warning conflict"')
REPORT_PATH = re.compile(r"/tasks/report/(\d+)/")


class Session:
    """One person's cookies; each request goes to the next app process in turn."""

    def __init__(self, ports, name):
        self.ports, self.name = ports, name
        self.cookies = {}
        self.expires = {}  # cookie → monotonic time it expires (those sent with max-age)
        self.turn = random.randrange(len(ports))

    def carries(self, name) -> bool:
        """The cookie would be sent now (not expired)."""
        if name in self.expires and time.monotonic() >= self.expires[name]:
            self.cookies.pop(name, None)
            self.expires.pop(name, None)
        return name in self.cookies

    def request(self, method, path, data=None) -> Response:
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        for name in list(self.expires):
            self.carries(name)  # drops the expired ones, as a browser does
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers)
            answer = conn.getresponse()
            text = answer.read().decode("utf-8", "replace")
        except ConnectionRefusedError:
            raise Failure("refused") from None
        except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
            raise Failure("reset") from None
        except TimeoutError:
            raise Failure("timeout") from None
        except OSError:
            raise Failure("net error") from None
        finally:
            conn.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            pair, _sep, attrs = header.partition(";")
            name, _eq, value = pair.strip().partition("=")
            max_age = re.search(r"max-age=(\d+)", attrs.lower())
            if (max_age and max_age.group(1) == "0") or value in ("", '""'):
                self.cookies.pop(name, None)
                self.expires.pop(name, None)
            else:
                self.cookies[name] = value
                if max_age:  # the replica's "recently wrote" cookie lives 5 s
                    self.expires[name] = time.monotonic() + int(max_age.group(1))
                else:
                    self.expires.pop(name, None)
        return Response(answer.status, text, answer.getheader("Location") or "", path)

    @property
    def csrf(self):
        return self.cookies.get("csrftoken", "")


# -- what the clients saw ---------------------------------------------------------------------

class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []  # (kind, outcome, seconds, when it ended, client)
        self.writes = []  # loadcheck.Write
        self.probes = []  # loadcheck.Probe
        self.accepted = deque(maxlen=20)  # (report id, unit id, when) for the director's look

    def add(self, kind, outcome, seconds):
        row = (kind, outcome, seconds, time.monotonic(), threading.current_thread().name)
        with self.lock:
            self.rows.append(row)

    def wrote(self, write):
        with self.lock:
            self.writes.append(write)

    def probed(self, probe):
        with self.lock:
            self.probes.append(probe)


@dataclass
class Plan:
    """What the clients aim at, read from the database before they start."""

    campaign_id: int
    pools: dict  # unit head's username → [(assignment id, period key)]
    unit_ids: list  # the hot units, for the reviewers' queue filter
    unit_of: dict  # unit head's username → the unit's id


class Client(threading.Thread):
    def __init__(self, number, role, username, plan, ports, stats, stop, dead):
        super().__init__(daemon=True, name=f"c{number:02d}")
        self.role, self.username, self.plan = role, username, plan
        self.ports, self.stats, self.stop = ports, stats, stop
        self.dead = dead  # shared: (assignment, period) → when it was last found not editable
        self.seq = 0
        self.rng = random.Random(number)
        self.session = None
        self.ready = threading.Event()  # signed in for the first time (or gave up)

    # one HTTP exchange, counted
    def call(self, kind, method, path, data=None):
        started = time.monotonic()
        try:
            response = self.session.request(method, path, data)
        except Failure as failure:
            self.stats.add(kind, failure.kind, time.monotonic() - started)
            time.sleep(0.3 + self.rng.random() * 0.3)  # do not spin during an outage
            return None
        seconds = time.monotonic() - started
        if response.status >= 500:
            self.stats.add(kind, "5xx", seconds)
            time.sleep(0.3)
            return None
        if response.status in (302, 301) and "/accounts/login/" in response.location:
            self.stats.add(kind, "signed out", seconds)
            self.sign_in()
            return None
        if method == "GET":
            self.stats.add(kind, "ok" if response.status in (200, 302) else
                           f"{response.status}", seconds)
        else:
            response.seconds = seconds
        return response

    def get(self, kind, path):
        """A page, following one redirect (a report that exists already)."""
        response = self.call(kind, "GET", path)
        if response is not None and response.status == 302:
            response = self.call(kind, "GET", response.location)
        return response if response is not None and response.status == 200 else None

    def sign_in(self):
        self.session = Session(self.ports, self.username)
        for _attempt in range(20):
            if self.stop.is_set():
                return False
            page = self.call("sign in", "GET", "/accounts/login/")
            if page is None:
                continue
            started = time.monotonic()
            try:
                answer = self.session.request("POST", "/accounts/login/", {
                    "csrfmiddlewaretoken": self.session.csrf, "username": self.username,
                    "password": PASSWORD, "next": "/"})
            except Failure as failure:
                self.stats.add("sign in", failure.kind, time.monotonic() - started)
                time.sleep(0.3)
                continue
            seconds = time.monotonic() - started
            if answer.status == 302:
                self.stats.add("sign in", "ok", seconds)
                return True
            self.stats.add("sign in", "5xx" if answer.status >= 500 else "login refused",
                           seconds)
            time.sleep(0.3)
        return False

    def post(self, kind, path, data):
        """A write and the page it leads to → (outcome for the ledger, that page)."""
        from deploy.loadcheck import CONFLICT, OK, UNKNOWN

        response = self.call(kind, "POST", path, {"csrfmiddlewaretoken": self.session.csrf,
                                                  **data})
        if response is None:
            return UNKNOWN, None
        seconds = response.seconds
        if response.status == 403:
            csrf = "CSRF" in response.body
            self.stats.add(kind, "csrf" if csrf else "conflict", seconds)
            return CONFLICT, None  # refused before anything was written
        if response.status not in (200, 302):
            self.stats.add(kind, f"{response.status}", seconds)
            return CONFLICT, None
        page = response
        if response.status == 302:
            page = self.call("page", "GET", response.location)
            if page is None:
                self.stats.add(kind, "unconfirmed", seconds)
                return UNKNOWN, None
            page.location = response.location
        if SUCCESS.search(page.body):
            self.stats.add(kind, "ok", seconds)
            return OK, page
        if DANGER.search(page.body):
            self.stats.add(kind, "conflict", seconds)
            return CONFLICT, page
        # No message: a form error re-rendered, or a write dropped without a word.
        self.stats.add(kind, "invalid" if response.status == 200 else "no message", seconds)
        return (CONFLICT if response.status == 200 else UNKNOWN), page

    def token(self):
        self.seq += 1
        return f"loadtest {self.name} #{self.seq} {uuid.uuid4().hex[:8]}"

    def run(self):
        signed_in = self.sign_in()
        self.ready.set()
        if not signed_in:
            return
        step = {"head": self.head_step, "reviewer": self.reviewer_step,
                "director": self.director_step}[self.role]
        while not self.stop.is_set():
            step()
            if self.rng.random() < 0.04:  # now and then, sign in afresh
                self.sign_in()
            time.sleep(self.rng.uniform(0.05, 0.25))

    # a unit head: everyone of the unit on the same report at the same moment
    def head_step(self):
        from deploy.loadcheck import OK, SAVE, SUBMIT, Write

        pool = self.plan.pools[self.username]
        now = time.monotonic()
        live = [p for p in pool if now - self.dead.get(p, -1e9) > 8] or pool
        assignment_id, period = live[int(time.time() / SLOT) % len(live)]
        start_path = f"/tasks/assignment/{assignment_id}/report/{period}/"
        page = self.get("page", start_path)
        if page is None:
            return
        path = page.path
        match = REPORT_PATH.fullmatch(path)
        report_id = int(match.group(1)) if match else None
        form = next((f for f in forms_of(page.body) if "narrative" in f["fields"]), None)
        if form is None:  # submitted or accepted: nothing to write until it is returned
            self.dead[(assignment_id, period)] = now
            return
        version = int(form["fields"].get("version") or 0) if report_id else 0
        token = self.token()
        value = str(self.rng.randint(0, 100))
        outcome, after = self.post("save", path, {
            # A whole number from 0 to 100: valid for both percentage and count tasks (a count
            # takes no decimals since the forms read Vietnamese numbers: "22.01" was refused
            # as invalid, and every save counted as a conflict).
            # A new report's page sends an empty version (versions start at 1: a "0" is a
            # page to reload, and every first save was refused as stale).
            "version": version or "", "value": value,
            "narrative": token})
        match = REPORT_PATH.search(after.location if after is not None else "")
        report_id = report_id or (int(match.group(1)) if match and outcome == OK else None)
        self.stats.wrote(Write(SAVE, outcome, report_id, assignment_id, period, version, token,
                               self.name))
        if outcome != OK or after is None or self.rng.random() < 0.4:
            return
        # Sending is the report form's "submit" button, which saves what is on the page first:
        # the values the page shows (the stored ones), so that only the status changes. (Not
        # this client's own values: another head's save may have come in between.)
        submit = next((f for f in forms_of(after.body) if "narrative" in f["fields"]), None)
        if submit is None:
            return
        version = int(submit["fields"]["version"])
        outcome, _page = self.post("submit", submit["action"] or after.location, {
            "version": version, "value": submit["fields"].get("value", value),
            "narrative": submit["fields"]["narrative"].removeprefix("\n"), "action": "submit"})
        self.stats.wrote(Write(SUBMIT, outcome, report_id, assignment_id, period, version, "",
                               self.name, self.username))
        if outcome == OK and report_id:
            self.look(SUBMIT, report_id, self.plan.unit_of[self.username], now_utc(), own=True)

    # the Office or the Union: the oldest waiting reports of the hot units, all at once
    def reviewer_step(self):
        from deploy.loadcheck import ACCEPT, OK, RETURN, Write

        unit_id = self.rng.choice(self.plan.unit_ids)
        queue = self.get("page", f"/tasks/review/?unit={unit_id}&status=submitted")
        if queue is None:
            return
        waiting = list(dict.fromkeys(int(pk) for pk in REPORT_PATH.findall(queue.body)))
        if not waiting:
            return
        report_id = waiting[0] if self.rng.random() < 0.7 else self.rng.choice(waiting[:3])
        page = self.get("page", f"/tasks/report/{report_id}/")
        if page is None:
            return
        form = next((f for f in forms_of(page.body) if f["action"].endswith("/review/")), None)
        if form is None:
            return  # reviewed meanwhile
        version = int(form["fields"]["version"])
        kind = ACCEPT if self.rng.random() < 0.5 else RETURN
        token = self.token()
        outcome, _page = self.post(kind, form["action"], {
            "version": version, "decision": kind, "comment": token})
        self.stats.wrote(Write(kind, outcome, report_id, 0, "", version, token, self.name))
        if outcome == OK and kind == ACCEPT:
            written = now_utc()
            self.stats.accepted.append((report_id, unit_id, written))
            self.look(ACCEPT, report_id, unit_id, written, own=True)

    def look(self, kind, report_id, unit_id, written, *, own):
        """The dashboard's list of a unit's waiting reports: does it show the write?"""
        from deploy.loadcheck import Probe

        cookie = self.session.carries(RECENT_WRITE)
        page = self.get("dashboard list", f"/tasks/figures/?state=waiting&unit={unit_id}")
        if page is None or "page=2" in page.body:  # no answer, or more than one page
            return
        listed = report_id in {int(pk) for pk in REPORT_PATH.findall(page.body)}
        self.stats.probed(Probe(kind, report_id, listed, written, now_utc(), own, cookie,
                                self.name))

    def director_step(self):
        from deploy.loadcheck import ACCEPT

        # A third of the time, a report the Office or the Union accepted a while ago: the
        # director reads the replica (never having written), which must show it by now.
        if self.stats.accepted and self.rng.random() < 1 / 3:
            try:
                report_id, unit_id, written = self.stats.accepted.popleft()
            except IndexError:  # another director took the last one
                return
            self.look(ACCEPT, report_id, unit_id, written, own=False)
            return
        path, kind = self.rng.choice([
            (f"/scoring/campaign/{self.plan.campaign_id}/dashboard/", "scoring dashboard"),
            ("/tasks/dashboard/review/", "review dashboard"),
            ("/", "home"),
        ])
        self.get(kind, path)


# -- set-up and the run -----------------------------------------------------------------------

def production_env(database_url, workdir, replica_url=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(64)),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "0",
        # Plain HTTP on loopback: no HTTPS redirect, cookies not restricted to HTTPS.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "ERROR",
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("DATABASE_REPLICA_URL", None)
    if replica_url:
        env["DATABASE_REPLICA_URL"] = replica_url
    return env


def manage(env, *args):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def make_plan(writers):
    """Hot units (schools), and for each a handful of (assignment, period) its head will write:
    percentage or count tasks, periods with no report yet or a draft or returned one."""
    from django.db import connection

    from campaigns.models import Campaign
    from tasks.models import Assignment, IndicatorKind, ProgressReport, ReportStatus
    from units.demo import head_of
    from units.models import UnitKind

    campaign = Campaign.objects.filter(status="launched").order_by("-year").first()
    n_units = max(1, writers // 3)
    pools, unit_ids, unit_of = {}, [], {}
    assignments = (Assignment.objects.filter(
        task__item__campaign=campaign, unit__kind=UnitKind.SCHOOL,
        task__indicator_kind__in=[IndicatorKind.PERCENT, IndicatorKind.COUNT])
        .select_related("task__item__campaign", "unit").order_by("unit__order", "pk"))
    by_unit = defaultdict(list)
    for assignment in assignments:
        by_unit[assignment.unit].append(assignment)
    for unit, unit_assignments in by_unit.items():
        if len(pools) == n_units:
            break
        head = head_of(unit)
        if head is None:
            continue
        username = head.username
        reports = {(r.assignment_id, r.period): r.status for r in ProgressReport.objects.filter(
            assignment__in=unit_assignments)}
        pool = []
        for assignment in unit_assignments:
            for period in assignment.periods():
                status = reports.get((assignment.pk, period.key))
                if status in (None, ReportStatus.DRAFT, ReportStatus.RETURNED):
                    pool.append((assignment.pk, period.key))
        random.Random(unit.pk).shuffle(pool)
        pools[username] = pool[:6]
        unit_ids.append(unit.pk)
        unit_of[username] = unit.pk
    initial = dict(ProgressReport.objects.values_list("pk", "version"))
    connection.close()
    return Plan(campaign.pk, pools, unit_ids, unit_of), initial


def sized(plan, clients):
    """The plan narrowed to the hot units of `clients` clients (three heads to a unit): the
    plan is made once for the largest number of clients the run uses."""
    heads = max(1, clients - max(1, clients // 4) - max(1, clients // 8))
    keep = list(plan.pools)[:max(1, heads // 3)]
    return Plan(plan.campaign_id, {u: plan.pools[u] for u in keep},
                [plan.unit_of[u] for u in keep], {u: plan.unit_of[u] for u in keep})


def cast(clients, plan):
    """(role, username) of each client: most are unit heads, sharing a unit by threes."""
    reviewers = max(1, clients // 4)
    directors = max(1, clients // 8) if clients >= 4 else 0
    heads = max(1, clients - reviewers - directors)
    usernames = list(plan.pools)
    roles = [("head", usernames[i % len(usernames)]) for i in range(heads)]
    roles += [("reviewer", ["vanphong", "congdoan"][i % 2]) for i in range(reviewers)]
    roles += [("director", "giamdoc")] * directors
    return roles[:clients]


def now_utc():
    return datetime.now(UTC)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0


def print_table(stats, seconds):
    rows = defaultdict(list)
    for kind, outcome, latency, _when, _client in stats.rows:
        rows[kind].append((outcome, latency))
    outcomes = sorted({row[1] for row in stats.rows},
                      key=lambda o: (o not in ("ok", "conflict"), o != "ok", o))
    header = (f"{'kind':<18}{'total':>7}" + "".join(f"{o:>12}" for o in outcomes)
              + f"{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    print(header)
    print("-" * len(header))
    total = 0
    for kind in sorted(rows):
        entries = rows[kind]
        total += len(entries)
        counts = defaultdict(int)
        for outcome, _s in entries:
            counts[outcome] += 1
        latencies = [s * 1000 for o, s in entries if o in ("ok", "conflict")]
        print(f"{kind:<18}{len(entries):>7}" + "".join(f"{counts[o]:>12}" for o in outcomes)
              + f"{percentile(latencies, .5):>9.0f}{percentile(latencies, .95):>9.0f}"
              + f"{max(latencies, default=0):>9.0f}")
    print("-" * len(header))
    print(f"{total} requests in {seconds:.0f} s: {total / seconds:.1f} requests/s "
          "(latencies of answered requests: ok and conflict)")


def print_phases(stats, began, faults):
    """Outcomes before, during (until 2 s after) and between and after the faults."""
    edges = [("before the faults", began)]
    for label, start, end, _what in faults:
        edges += [(label, start), ("after " + label.split(" ")[0], end + 2)]
    edges.append(("end", float("inf")))
    print(f"{'phase':<26}{'from s':>8}{'requests':>10}{'ok':>7}{'conflict':>10}  errors")
    for (label, start), (_next, end) in zip(edges, edges[1:], strict=False):
        rows = [r for r in stats.rows if start <= r[3] < end]
        errors = defaultdict(int)
        for row in rows:
            if row[1] not in ("ok", "conflict"):
                errors[row[1]] += 1
        print(f"{label:<26}{start - began:>8.1f}{len(rows):>10}"
              f"{sum(r[1] == 'ok' for r in rows):>7}{sum(r[1] == 'conflict' for r in rows):>10}"
              f"  {', '.join(f'{n} {kind}' for kind, n in sorted(errors.items())) or '-'}")


def inject_faults(apps, pg, began, seconds):
    """At a quarter of the run app2 is stopped (SIGTERM) and started again; at half app1 is
    reloaded (SIGHUP: new workers, the listening socket kept); at three quarters the database
    is restarted. Each waits until the previous one is 4 s over. → [(label, start, end, what)]"""
    faults = []

    def at(share):
        calm = faults[-1][2] + 4 if faults else began
        time.sleep(max(0.0, began + seconds * share - time.monotonic(), calm - time.monotonic()))
        return time.monotonic()

    started = at(1 / 4)
    apps[1].stop()
    apps[1].start()
    apps[1].wait_ready()
    faults.append(("app2 restart", started, time.monotonic(),
                   "SIGTERM, started again, answering the sign-in page"))
    log(f"app2 stopped (SIGTERM) and ready again in {faults[-1][2] - started:.1f} s")

    started = at(1 / 2)
    apps[0].reload()
    faults.append(("app1 reload", started, time.monotonic(),
                   "SIGHUP, until both new workers have booted"))
    log(f"app1 reloaded (SIGHUP) in {faults[-1][2] - started:.1f} s")

    started = at(3 / 4)
    pg.restart()
    faults.append(("database restart", started, time.monotonic(),
                   "pg_ctl restart -m fast"))
    log(f"database restarted (pg_ctl restart -m fast) in {faults[-1][2] - started:.1f} s")
    return faults


def failed_during(stats, fault) -> list[str]:
    """Requests without an answer, or with a 5xx, during a fault (until 2 s after it)."""
    label, start, end, _what = fault
    return [f"{kind} by {client}: {outcome} during the {label}"
            for kind, outcome, _s, when, client in stats.rows
            if start <= when < end + 2 and outcome in ("refused", "reset", "timeout", "5xx",
                                                      "net error", "unconfirmed")]


def carried_on(stats, clients, after) -> list[str]:
    """Clients with no successful request once the last fault was over."""
    served = {r[4] for r in stats.rows if r[1] == "ok" and r[3] > after}
    return [f"client {c.name} ({c.role} {c.username}) got no answer after the faults"
            for c in clients if c.name not in served]


def run_checks(stats, initial, since, extra=()):
    from deploy.loadcheck import (
        duplicate_periods,
        events_without_audit,
        half_written_reports,
        history_contradicts_status,
        tallies_differ_from_rebuild,
        verify_writes,
    )
    from tasks.models import ProgressReport

    touched = {w.report_id for w in stats.writes if w.report_id}
    touched |= set(ProgressReport.objects.exclude(pk__in=initial).values_list("pk", flat=True))
    checks = [
        *extra,
        ("accepted writes stored once, refused ones absent, no lost update",
         lambda: verify_writes(stats.writes, initial, since)),
        ("no duplicate (assignment, period)", duplicate_periods),
        ("no half-written report", half_written_reports),
        ("history ends in each written report's status",
         lambda: history_contradicts_status(touched)),
        ("every history step has its audit line", lambda: events_without_audit(since)),
        ("tallies equal a fresh rebuild", tallies_differ_from_rebuild),
    ]
    failed = 0
    for name, check in checks:
        problems = check()
        failed += bool(problems)
        print(f"  {'PASS' if not problems else 'FAIL'}  {name}"
              + (f": {len(problems)} problems" if problems else ""))
        for problem in problems[:10]:
            print(f"          {problem}")
    return failed


def summarise_writes(stats):
    counts = defaultdict(lambda: defaultdict(int))
    for write in stats.writes:
        counts[write.kind][write.outcome] += 1
    for kind, outcomes in counts.items():
        print(f"  {kind:<8}" + ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items())))


# -- throughput: requests per second held at p95 < 300 ms ------------------------------------

STEPS = (2, 4, 6, 8, 12, 16, 24)  # clients per step
P95_LIMIT = 0.300  # seconds


def measure_step(clients_count, plan, port, ledger, dead, seconds):
    """`clients_count` clients on one app process: once all have signed in (and one second
    more), the requests answered during `seconds` → (requests/s, p50, p95, errors)."""
    stats, stop = Stats(), threading.Event()
    stats.accepted = ledger.accepted
    plan = sized(plan, clients_count)
    clients = [Client(100 + i, role, username, plan, [port], stats, stop, dead)
               for i, (role, username) in enumerate(cast(clients_count, plan))]
    for client in clients:
        client.start()
    for client in clients:
        client.ready.wait(30)
    time.sleep(1)
    began = time.monotonic()
    time.sleep(seconds)
    ended = time.monotonic()
    stop.set()
    for client in clients:
        client.join(REQUEST_TIMEOUT * 3)
    with ledger.lock:
        ledger.writes += stats.writes
        ledger.probes += stats.probes
    # Signing in is PBKDF2 by design (~0.3 s of CPU each): it is in the load, not in the p95.
    window = [r for r in stats.rows if began <= r[3] < ended and r[0] != "sign in"]
    answered = [r[2] for r in window if r[1] in ("ok", "conflict")]
    # A form sent back ("invalid") is an answer, not a failure; no answer or a 5xx is.
    errors = sum(r[1] in ("refused", "reset", "timeout", "5xx", "net error", "unconfirmed")
                 for r in window)
    return (len(window) / (ended - began), percentile(answered, .5), percentile(answered, .95),
            errors)


def throughput(setups, plan, workdir, ledger, dead, seconds):
    """Steps the clients up on one gunicorn process of WORKERS sync workers per setup (label →
    environment) until the p95 crosses 300 ms (or a request fails) → label → the last
    (clients, requests/s, p95) that held, or None. The setups take turns at each step (one
    process each, only one loaded at a time), so that a machine busier for a while weighs on
    both alike rather than on whichever ran then."""
    apps = {label: App(f"throughput-{label.replace(' ', '-')}", free_port(), env, workdir)
            for label, env in setups.items()}
    held = dict.fromkeys(setups)
    going = set(setups)
    try:
        for app in apps.values():
            app.start()
        for app in apps.values():
            app.wait_ready()
        for count in STEPS:
            for label, app in apps.items():
                if label not in going:
                    continue
                rate, p50, p95, errors = measure_step(count, plan, app.port, ledger, dead,
                                                      seconds)
                holds = p95 < P95_LIMIT and not errors
                print(f"  {label:<16}{count:>8}{rate:>12.1f}{p50 * 1000:>9.0f}"
                      f"{p95 * 1000:>9.0f}{errors:>8}  {'held' if holds else 'over'}",
                      flush=True)
                if holds:
                    held[label] = (count, rate, p95)
                else:
                    going.discard(label)
            if not going:
                break
    finally:
        for app in apps.values():
            app.stop()
    return held


def summarise_probes(stats):
    """The looks at the dashboards' lists after a write: by whom, and read from which side."""
    rows = defaultdict(int)
    for probe in stats.probes:
        rows[("own" if probe.own else "director's"), probe.kind,
             "primary (recent-write cookie)" if probe.cookie else "replica-eligible"] += 1
    for (whose, kind, side), count in sorted(rows.items()):
        print(f"  look   {count} {whose} after {kind}, {side}")


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--keep", action="store_true", help="keep the logs (printed path)")
    parser.add_argument("--replica", action="store_true",
                        help="a streaming replica beside the primary; the dashboards, rankings, "
                             "exports and history search read from it (DATABASE_REPLICA_URL)")
    parser.add_argument("--throughput", action="store_true",
                        help="then requests/s held at p95 < 300 ms on one app process of 2 "
                             "workers, without and with the replica")
    parser.add_argument("--step-seconds", type=float, default=6,
                        help="length of each throughput step (default 6)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))

    # Ctrl+C and SIGTERM alike end in `finally`, which stops and deletes everything (SIGINT is
    # set explicitly: a shell starting this in the background would have it ignored).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    workdir = Path(tempfile.mkdtemp(prefix="thidua-load."))
    workdir.chmod(0o755)
    streaming = args.replica or args.throughput
    pg = Postgres(workdir, extra="-c wal_level=replica -c max_wal_senders=4" if streaming else "")
    replica = Replica(workdir, pg) if streaming else None
    lag = None
    processes = []
    failed = 1
    try:
        pg.start()
        log(f"PostgreSQL on 127.0.0.1:{pg.port} (ICU vi-VN), files in {workdir}")
        env = production_env(pg.url, workdir)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_demo", "--force")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        log("migrated, demo loaded, static files collected")
        if replica is not None:
            replica.start()
            lag = LagMonitor(pg)
            lag.start()
            log(f"streaming replica on 127.0.0.1:{replica.port} (pg_basebackup -R from the "
                f"primary)")
        replica_env = production_env(pg.url, workdir, replica.url) if replica else None
        if args.replica:
            env = replica_env

        os.environ.update(env)
        import django

        django.setup()
        most = max(args.clients, *STEPS) if args.throughput else args.clients
        writers = max(1, most - max(1, most // 4) - max(1, most // 8))
        full_plan, initial = make_plan(writers)
        plan = sized(full_plan, args.clients)

        ports = [free_port(), free_port()]
        apps = [App(f"app{i + 1}", port, env, workdir) for i, port in enumerate(ports)]
        worker = Supervised("worker", [sys.executable, "manage.py", "db_worker", "--no-reload"],
                         env, workdir)
        processes = [*apps, worker]
        for process in processes:
            process.start()
        for app in apps:
            app.wait_ready()
        log(f"gunicorn on ports {ports[0]} and {ports[1]} (2 workers each), worker started"
            + ("; the dashboards read from the replica" if args.replica else ""))

        stats, stop, dead = Stats(), threading.Event(), {}
        from django.utils import timezone

        since = timezone.now()
        roles = cast(args.clients, plan)
        clients = [Client(i, role, username, plan, ports, stats, stop, dead)
                   for i, (role, username) in enumerate(roles)]
        log(f"{len(clients)} clients: " + ", ".join(
            f"{sum(1 for r, _u in roles if r == role)} {role}s"
            for role in ("head", "reviewer", "director"))
            + f"; heads share {len(plan.pools)} units: {', '.join(plan.pools)}")
        began = time.monotonic()
        for client in clients:
            client.start()

        faults = inject_faults(apps, pg, began, args.seconds)
        time.sleep(max(0.0, began + args.seconds - time.monotonic()))
        # However short the run, the clients get a few seconds after the last fault.
        time.sleep(max(0.0, faults[-1][2] + AFTER_FAULTS - time.monotonic()))
        stop.set()
        for client in clients:
            client.join(REQUEST_TIMEOUT * 3)
        elapsed = time.monotonic() - began
        worker_alive = worker.alive()
        for app in apps:
            app.stop()
        log("clients stopped, app processes stopped")

        print()
        print(f"=== Requests ({len(clients)} clients, {elapsed:.0f} s, 2 app processes) ===")
        print_table(stats, elapsed)
        print()
        print("=== Faults: outcomes by phase (a fault's phase lasts until 2 s after it) ===")
        for label, start, end, what in faults:
            print(f"  {label} at {start - began:.1f} s: {what} ({end - start:.1f} s)")
        print_phases(stats, began, faults)
        if worker.exits:
            print(f"background worker: exited {len(worker.exits)} times (statuses "
                  f"{worker.exits}), started again 2 s later each time as systemd's "
                  f"Restart=always does; {'running' if worker_alive else 'NOT running'} at the end")
        else:
            print(f"background worker: never exited; "
                  f"{'running' if worker_alive else 'NOT running'} at the end")
        if args.throughput:
            print()
            print(f"=== Throughput: one gunicorn process of {WORKERS} sync workers, the clients "
                  f"stepped up until p95 >= {P95_LIMIT * 1000:.0f} ms "
                  f"({args.step_seconds:.0f} s a step, sign-ins left out of the p95) ===")
            print(f"  {'database':<16}{'clients':>8}{'requests/s':>12}{'p50 ms':>9}"
                  f"{'p95 ms':>9}{'errors':>8}")
            held = throughput({"primary only": production_env(pg.url, workdir),
                               "with replica": replica_env}, full_plan, workdir, stats, dead,
                              args.step_seconds)
            for label, result in held.items():
                print(f"THROUGHPUT {label}: " + (
                    f"{result[1]:.1f} requests/s held at p95 < {P95_LIMIT * 1000:.0f} ms "
                    f"({result[0]} clients, p95 {result[2] * 1000:.0f} ms)" if result else
                    f"p95 over {P95_LIMIT * 1000:.0f} ms already at {STEPS[0]} clients"))
        worker.stop()
        if lag is not None:
            lag.stop.set()
            lag.join(2)
            print()
            print(f"=== Replica (streaming, loopback) === {lag.summary()}")
        print()
        print("=== Writes as the clients saw them ===")
        summarise_writes(stats)
        summarise_probes(stats)
        print()
        print("=== Checks against the database ===")
        last_fault_over = faults[-1][2] + 2
        from deploy.loadcheck import writes_missing_from_lists

        sticky = int(replica_env.get("REPLICA_AFTER_WRITE_SECONDS", 5)) if replica_env else 5
        failed = run_checks(stats, initial, since, extra=[
            ("no user saw their own write missing (dashboards' lists after a write)",
             lambda: writes_missing_from_lists(stats.probes, sticky)),
            ("every client carried on after the faults",
             lambda: carried_on(stats, clients, last_fault_over)),
            ("no request failed during the graceful reload (SIGHUP)",
             lambda: failed_during(stats, faults[1])),
            ("the background worker runs at the end (restarted when it exits)",
             lambda: [] if worker_alive else ["manage.py db_worker is not running"]),
        ])
        print()
        print("RESULT:", "all checks passed" if not failed else f"{failed} checks FAILED")
    except KeyboardInterrupt:
        log("interrupted")
        failed = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not stop the cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for process in processes:
            process.stop(wait=10)
        if lag is not None:
            lag.stop.set()
        if replica is not None:
            replica.stop()
        pg.stop()
        if args.keep:
            log(f"logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
