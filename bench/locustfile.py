"""Exam-day load, one scenario per Locust run (``BENCH_SCENARIO``).

Run by :mod:`bench.run` as its own process, headless, against gunicorn on
127.0.0.1. ``BENCH_MODE=baseline`` keeps every scenario's timing and shape but
sends each request to a baseline view instead (B0 or B1 at random, same method),
which is what the scenario's ratios are taken against.

Every answer the server acknowledged and every submit's outcome is written to
``BENCH_OUT`` so that :mod:`bench.verify` can prove nothing was lost.
"""

from __future__ import annotations

import gc
import json
import os
import random
import time
from pathlib import Path
from urllib.parse import urlencode

import gevent
from gevent.event import Event
from locust import FastHttpUser, constant, events, task
from locust.contrib.fasthttp import FastHttpSession
from locust.exception import StopUser
from requests.cookies import create_cookie

SCENARIO = os.environ.get("BENCH_SCENARIO", "browse")
BASELINE = os.environ.get("BENCH_MODE", "real") == "baseline"
DATA = (
    json.loads(Path(os.environ["BENCH_DATA"]).read_text())
    if "BENCH_DATA" in os.environ
    else {}
)
# The scenario's data never changes and holds no cycles to collect. For the
# crowd it is 2,000 attempts' questions, two and a half million objects, and
# each full collection scanned them all: over a second on this machine, during
# which no request was sent and every answer waiting was timed late (the
# server's latency charged with the load generator's pause). Frozen, the
# collector leaves them alone.
gc.collect()
gc.freeze()
OUT = os.environ.get("BENCH_OUT", "")
CONFIG = DATA.get("config", {})
USERS = int(CONFIG.get("users", 1))

samples: list[tuple[str, float, str | None, float]] = []
acknowledged: list[dict] = []
submits: list[dict] = []
_arrived = 0
_finished = 0
everyone_here = Event()
_clock = {"first": None, "last": None}


@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    now = time.time()
    _clock["first"] = _clock["first"] or now - response_time / 1000
    _clock["last"] = now
    # When it completed, too: a stall shows as a window of slow samples.
    error = repr(exception) if exception else None
    samples.append((name, response_time, error, round(now, 3)))


@events.quitting.add_listener
def _write(environment, **kwargs):
    if not OUT:
        return
    with Path(OUT).open("w") as out:
        json.dump(
            {
                "scenario": SCENARIO,
                "baseline": BASELINE,
                "duration": (_clock["last"] or 0) - (_clock["first"] or 0),
                "samples": samples,
                "acknowledged": acknowledged,
                "submits": submits,
            },
            out,
        )


def _arrive() -> None:
    """Count a user in; the last one to arrive opens the barrier."""
    global _arrived
    _arrived += 1
    if _arrived >= USERS:
        everyone_here.set()


def _finish(environment) -> None:
    """A one-shot user is done; the last one ends the run."""
    global _finished
    _finished += 1
    if _finished >= USERS:
        gevent.spawn_later(0.2, environment.runner.quit)
    raise StopUser()


def answer_fields(questions: list[dict], rng: random.Random) -> list[tuple[str, str]]:
    """Form fields a learner's browser posts for one page, with random answers."""
    fields = []
    for question in questions:
        if rng.random() < 0.1:
            continue  # left blank
        fields.extend(tuple(field) for field in rng.choice(question["samples"]))
        if rng.random() < 0.1:
            fields.append((f"flag{question['position']}", "on"))
    return fields


class Learner(FastHttpUser):
    """One signed-in learner's browser. Each scenario is one behaviour of it."""

    wait_time = constant(0)
    # A queued request in a start storm may wait long; measure it, do not drop it.
    network_timeout = 300.0
    connection_timeout = 300.0
    _next_index = 0

    def on_start(self):
        index = Learner._next_index
        Learner._next_index += 1
        browsers = DATA["browsers"]
        self.browser = browsers[index % len(browsers)]
        self.rng = random.Random(index)
        if SCENARIO != "visit":  # a visitor has no session
            self.sign_in(self.client)
        self.headers = {
            "X-CSRFToken": self.browser["csrftoken"],
            "Referer": self.host + "/",
        }
        self.attempt = DATA.get("attempts", {}).get(str(self.browser["user_id"]))
        self.seq = self.attempt["seq"] if self.attempt else 0
        self.interval = float(CONFIG.get("interval", 1))
        self.stop_at = time.time() + float(CONFIG.get("duration", 10))
        _arrive()

    def sign_in(self, session) -> None:
        host = self.host.split("//", 1)[-1].split(":")[0]
        for name in ("sessionid", "csrftoken"):
            session.cookiejar.set_cookie(
                create_cookie(name, self.browser[name], domain=host)
            )

    def second_tab(self) -> FastHttpSession:
        """Another tab of the same browser: its own connection, same cookies.

        Locust's client switches redirects off for the whole client while one
        request runs, so two requests at once from one client need two clients.
        """
        session = FastHttpSession(
            self.host,
            self.environment.events.request,
            user=self,
            network_timeout=self.network_timeout,
            connection_timeout=self.connection_timeout,
        )
        self.sign_in(session)
        return session

    # --- requests, each swappable for its baseline ---------------------------------

    def _request(
        self, method, url, name, *, body=None, expect=(200,), check=None, client=None
    ):
        if BASELINE:
            kind = self.rng.choice(["B0", "B1"])
            url = (
                "/bench/b0/"
                if kind == "B0"
                else f"/bench/b1/?id={self.browser['user_id']}"
            )
            name, expect, check = kind, (200,), None
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        with (client or self.client).request(
            method,
            url,
            name=name,
            data=urlencode(body or []) if method == "POST" else None,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code not in expect:
                response.failure(f"HTTP {response.status_code}")
                return None
            if check is not None:
                problem = check(response)
                if problem:
                    response.failure(problem)
                    return None
            return response

    def get_page(self, url, name):
        return self._request("GET", url, name)

    def save(self):
        page = self.rng.choice(sorted(self.attempt["pages"]))
        self.seq += 1
        fields = [
            *answer_fields(self.attempt["pages"][page], self.rng),
            ("page", page),
            ("seq", str(self.seq)),
        ]

        def applied(response):
            body = response.json()
            if not body.get("ok") or not body.get("applied"):
                return f"save not applied: {body}"
            return None

        response = self._request(
            "POST",
            f"/exams/attempts/{self.attempt['public_id']}/save/",
            "save",
            body=fields,
            check=applied,
        )
        if response is not None and not BASELINE:
            acknowledged.append(
                {
                    "attempt": self.attempt["public_id"],
                    "page": int(page),
                    "seq": self.seq,
                    "fields": fields,
                }
            )

    def poll(self):
        def has_time(response):
            if "remaining_seconds" not in response.json():
                return "no remaining_seconds"
            return None

        self._request(
            "GET",
            f"/exams/attempts/{self.attempt['public_id']}/status/",
            "status",
            check=has_time,
        )

    def submit(self, name, client=None):
        def to_result(response):
            if "/result/" not in response.headers.get("Location", ""):
                return f"submit went to {response.headers.get('Location')}"
            return None

        response = self._request(
            "POST",
            f"/exams/attempts/{self.attempt['public_id']}/submit/",
            name,
            body=[],
            expect=(302,),
            check=to_result,
            client=client,
        )
        if response is not None and not BASELINE:
            submits.append({"attempt": self.attempt["public_id"], "name": name})

    def browse_once(self, *, signed_in: bool = True):
        courses = DATA["courses"]
        course = self.rng.choice(courses)
        choice = self.rng.random()
        if choice < 0.2:
            pages = max(1, len(courses) // 12)
            self.get_page(f"/catalog/?page={self.rng.randint(1, pages)}", "catalog")
        elif choice < 0.4:
            self.get_page(course["url"], "course")
        elif choice < 0.6:
            self.get_page(course["lesson_url"], "lesson")
        elif choice < 0.7:
            self.get_page("/paths/", "paths")
        elif choice < 0.8 or not signed_in:
            self.get_page(self.rng.choice(DATA["paths"]), "path")
        else:
            self.get_page("/dashboard/", "dashboard")

    def paced(self, action):
        """Run ``action`` every ``interval`` seconds (first at a random offset)
        until the scenario's duration is over."""
        gevent.sleep(self.rng.uniform(0, self.interval))
        while time.time() < self.stop_at:
            began = time.time()
            action()
            gevent.sleep(max(0.0, self.interval - (time.time() - began)))
        _finish(self.environment)

    # --- scenarios ---------------------------------------------------------------

    @task
    def scenario(self):
        getattr(self, f"scenario_{SCENARIO}")()

    def scenario_browse(self):
        self.paced(self.browse_once)

    def scenario_visit(self):
        self.paced(lambda: self.browse_once(signed_in=False))

    def scenario_storm(self):
        everyone_here.wait()

        def to_attempt(response):
            if "/exams/attempts/" not in response.headers.get("Location", ""):
                return f"start went to {response.headers.get('Location')}"
            return None

        response = self._request(
            "POST",
            DATA["start_url"],
            "start",
            body=[],
            expect=(302,),
            check=to_attempt,
        )
        if response is not None:
            location = response.headers.get("Location", "/bench/b0/")
            self._request("GET", location, "attempt page")
        _finish(self.environment)

    def scenario_save(self):
        self.paced(self.save)

    def scenario_poll(self):
        self.paced(self.poll)

    def scenario_soak(self):
        def mixed():
            roll = self.rng.random()
            if roll < 0.55:
                self.save()
            elif roll < 0.85:
                self.poll()
            elif roll < 0.95:
                self.get_page(
                    f"/exams/attempts/{self.attempt['public_id']}/"
                    f"?page={self.rng.randint(1, len(self.attempt['pages']))}",
                    "attempt page",
                )
            else:
                self.browse_once()

        self.paced(mixed)

    def scenario_crowd(self):
        """The exam-day soak: a learner mid-exam whose page autosaves every
        ``interval`` seconds and polls the clock every other time, as exam.js does."""
        ticks = iter(range(1_000_000))

        def autosave_and_poll():
            self.save()
            if next(ticks) % 2:
                self.poll()

        self.paced(autosave_and_poll)

    def scenario_submit(self):
        everyone_here.wait()
        fraction_absent = float(CONFIG.get("absent", 0.05))
        if self.rng.random() < fraction_absent:
            _finish(self.environment)
        gevent.sleep(self.rng.uniform(0, float(CONFIG.get("window", 10))))
        if self.rng.random() < float(CONFIG.get("twice", 0.1)):
            # A double click: the second request leaves before the first returns.
            second = gevent.spawn(self.submit, "submit (again)", self.second_tab())
            self.submit("submit")
            second.join()
        else:
            self.submit("submit")
        _finish(self.environment)
