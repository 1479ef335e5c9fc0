#!/usr/bin/env python3
"""Nothing lost in a crash: the driver of scripts/crash-test (Python standard library only).

For one backend: seed a small demo into a fresh database, then N times start `stegvis serve`,
let concurrent writers make real API writes (and some audited reads) as a coach, append every
2xx to a ledger file and fsync it BEFORE counting it acknowledged, `kill -9` the server (our own
child's pid) after a random 0.2-3 s, run `stegvis check` on the crashed database, restart, and
verify through the API that every acknowledged write is there with its allowed audit event and
every acknowledged read has its read event (matched by subject, kind, actor and time window).
A write in flight at the kill may be there or not, but if it is there it has its audit event.
Exits non-zero naming what is missing.
"""

import argparse
import datetime
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

COACH = "coach@demo.stegvis.se"
# Verification reads are made as another user, so that they can never stand in for a missing
# read event of the coach.
VERIFIER = "projektledare@demo.stegvis.se"
AUDITOR = "dataskydd@demo.stegvis.se"
PROJECT = "Nästa steg (demoprojekt)"

# The audit events each acknowledged ledger entry must have: (record_kind, action).
EXPECTED_EVENTS = {
    "create": [("participant", "write"), ("enrolment", "write")],
    "plan": [("plan", "write")],
    "attendance": [("attendance", "write")],
    "exit": [("enrolment", "write"), ("follow_up", "write")],
    "follow_up": [("follow_up", "write")],
    "read": [("participant", "read"), ("enrolment", "read")],
    "read_plan": [("plan", "read")],
}
READS = ("read", "read_plan")


class Failure(Exception):
    pass


class Unreachable(Exception):
    """The server did not answer (killed, or not up): the request's fate is unknown."""


class Api:
    def __init__(self, base, token):
        self.base = base
        self.token = token

    def call(self, method, path, body=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.base + "/api/v1" + path,
            data=data,
            method=method,
            headers={
                "Authorization": "Bearer " + self.token,
                "content-type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                raw = r.read()
                return r.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")[:500]
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as e:
            raise Unreachable(str(e)) from e

    def ok(self, method, path, body=None):
        """For verification: the answer must be 2xx."""
        status, b = self.call(method, path, body)
        if not 200 <= status < 300:
            raise Failure(f"{method} {path} answered {status}: {b}")
        return b


class Ledger:
    """Acknowledged requests, one JSON line each, on disk (fsync) before they count."""

    def __init__(self, path):
        self.lock = threading.Lock()
        self.file = open(path, "a", encoding="utf-8")

    def append(self, entry):
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self.lock:
            self.file.write(line)
            self.file.flush()
            os.fsync(self.file.fileno())


def letters(n, width):
    """A number as lowercase letters (names take letters)."""
    out = ""
    for _ in range(width):
        out = chr(ord("a") + n % 26) + out
        n //= 26
    return out


def epoch(rfc3339):
    return datetime.datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp()


class Participant:
    """What the driver did to one participant, acknowledged or in flight."""

    def __init__(self, key, family):
        self.key = key
        self.family = family
        self.id = None
        self.enrolment_id = None
        self.entries = []  # acknowledged ledger entries
        self.inflight = None  # the one request whose answer never came
        self.next_day = 0
        self.exited = False


class Writer(threading.Thread):
    def __init__(self, ctx, run, index, stop):
        super().__init__(daemon=True)
        self.ctx = ctx
        self.run_no = run
        self.index = index
        self.stop = stop
        self.rng = random.Random(ctx.seed * 1_000_003 + run * 101 + index)
        self.participants = []
        self.unexpected = []
        self.seq = 0

    def request(self, p, kind, method, path, body, **facts):
        """Sends one request; on 2xx writes its ledger entry (fsync) and returns the body."""
        t0 = time.time()
        p.inflight = {"kind": kind, "t0": t0, **facts}
        status, b = self.ctx.coach.call(method, path, body)
        t1 = time.time()
        if not 200 <= status < 300:
            p.inflight = None
            self.unexpected.append(f"{kind} {method} {path}: {status} {b}")
            raise Unreachable(f"unexpected {status}")
        entry = {"kind": kind, "participant": p.key, "t0": t0, "t1": t1, **facts}
        if kind == "create":
            entry["participant_id"] = b["participant"]["id"]
            entry["enrolment_id"] = b["enrolments"][0]["id"]
        else:
            entry["participant_id"] = p.id
        if kind == "plan":
            entry["id"] = b["id"]
        self.ctx.ledger.append(entry)
        p.inflight = None
        p.entries.append(entry)
        return b

    def run(self):
        try:
            while not self.stop.is_set():
                self.one_participant()
        except Unreachable:
            pass
        except Exception as e:  # a driver bug must fail the test, not end a thread quietly
            self.unexpected.append(f"driver error: {e!r}")

    def one_participant(self):
        ctx, rng = self.ctx, self.rng
        key = f"{ctx.backend}-{self.run_no}-{self.index}-{self.seq}"
        family = "Krasch" + letters(self.run_no, 3) + letters(self.index, 2) + letters(self.seq, 3)
        self.seq += 1
        p = Participant(key, family)
        self.participants.append(p)
        body = {
            "identity_mode": "none",
            "identity_number": "",
            "birth_date": f"19{rng.randint(60, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "given_name": "Testa",
            "family_name": family,
            "gender": rng.choice(["woman", "man", "non_binary"]),
            "project_id": ctx.project_id,
            "enrolled_on": ctx.enrolled_on.isoformat(),
            "baseline": {
                "labour_status": "unemployed",
                "months_without_work": rng.randint(1, 60),
            },
        }
        b = self.request(p, "create", "POST", "/participants", body, family=family)
        p.id = b["participant"]["id"]
        p.enrolment_id = b["enrolments"][0]["id"]
        for _ in range(rng.randint(2, 6)):
            if self.stop.is_set():
                return
            op = rng.choice(["plan", "plan", "attendance", "attendance", "read", "read_plan"])
            getattr(self, op)(p)
        if rng.random() < 0.5 and not self.stop.is_set():
            self.exit_and_follow_up(p)

    def plan(self, p):
        n = len(p.entries)
        step = f"Steg {p.key} nr {n} {self.rng.randrange(10**9)}"
        body = {
            "goal": f"Mål {p.key}",
            "step": step,
            "owner": self.rng.choice(["staff", "participant"]),
            "due_on": None,
            "participant_words": None,
            "staff_note": f"Anteckning {n}",
        }
        self.request(p, "plan", "POST", f"/participants/{p.id}/plan", body, step=step)

    def attendance(self, p):
        if p.next_day >= self.ctx.attendance_days:
            return
        day = self.ctx.enrolled_on + datetime.timedelta(days=p.next_day)
        p.next_day += 1
        minutes = self.rng.randint(15, 300)
        activity = self.rng.choice(self.ctx.activities)
        body = {
            "date": day.isoformat(),
            "entries": [
                {"participant_id": p.id, "hours": f"{minutes // 60}:{minutes % 60:02d}"}
            ],
        }
        self.request(
            p,
            "attendance",
            "POST",
            f"/activities/{activity}/attendance",
            body,
            date=day.isoformat(),
            minutes=minutes,
        )

    def read(self, p):
        b = self.request(p, "read", "GET", f"/participants/{p.id}", None)
        if b["participant"]["family_name"] != p.family:
            self.unexpected.append(f"read of {p.key} returned another participant")

    def read_plan(self, p):
        self.request(p, "read_plan", "GET", f"/participants/{p.id}/plan", None)

    def exit_and_follow_up(self, p):
        ctx, rng = self.ctx, self.rng
        status = rng.choice(["work", "studies", "job_seeking", "other"])
        body = {"exited_on": ctx.exited_on.isoformat(), "exit_status": status}
        self.request(
            p, "exit", "POST", f"/enrolments/{p.enrolment_id}/exit", body, exit_status=status
        )
        p.exited = True
        if self.stop.is_set():
            return
        st, fus = ctx.coach.call("GET", f"/participants/{p.id}/follow-ups")
        if st != 200:
            self.unexpected.append(f"follow-ups of {p.key}: {st} {fus}")
            raise Unreachable("unexpected")
        fid = next(f["id"] for f in fus if f["kind"] == "immediate_result")
        answers = {
            "job_searching": rng.random() < 0.5,
            "in_education": rng.random() < 0.5,
            "gained_qualification": rng.random() < 0.5,
            "employed": rng.random() < 0.5,
            "social_assistance": rng.random() < 0.5,
        }
        body = {"done_on": ctx.done_on.isoformat(), **answers}
        self.request(
            p, "follow_up", "POST", f"/follow-ups/{fid}", body, follow_up_id=fid, answers=answers
        )


class Context:
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def storage_args(ctx):
    args = ["--data-dir", ctx.data_dir]
    if ctx.database_url:
        args += ["--database-url", ctx.database_url]
    return args


def run_cli(ctx, *args):
    r = subprocess.run(
        [ctx.binary, *args, *storage_args(ctx)],
        capture_output=True,
        text=True,
        env=ctx.env,
    )
    if r.returncode != 0:
        raise Failure(f"stegvis {' '.join(args)} failed:\n{r.stdout}{r.stderr}")
    return r.stdout


def start_server(ctx):
    for _ in range(5):
        port = free_port()
        log = open(os.path.join(ctx.out, "serve.log"), "a")
        proc = subprocess.Popen(
            [ctx.binary, "serve", *storage_args(ctx), "--listen", f"127.0.0.1:{port}"],
            stdout=log,
            stderr=log,
            env=ctx.env,
        )
        log.close()
        deadline = time.time() + 60
        while time.time() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return proc, f"http://127.0.0.1:{port}"
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)
        kill(proc)
    raise Failure("the server did not start (see serve.log)")


def kill(proc):
    """SIGKILL to our own child, by its pid."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def events_of(ctx, pid):
    events = ctx.auditor.ok("GET", f"/audit?participant_id={pid}&limit=10000")
    return [
        e
        for e in events
        if e["actor_user_id"] == ctx.coach_id and e["decision"] == "allowed"
    ]


def match_events(p, events, problems):
    """Each acknowledged entry has its own allowed events by the coach, within its window."""
    used = set()
    by_time = sorted(events, key=lambda e: (epoch(e["at"]), e["id"]))
    for entry in sorted(p.entries, key=lambda e: e["t0"]):
        for kind, action in EXPECTED_EVENTS[entry["kind"]]:
            lo, hi = int(entry["t0"]), entry["t1"]
            found = next(
                (
                    e
                    for e in by_time
                    if e["id"] not in used
                    and e["record_kind"] == kind
                    and e["action"] == action
                    and lo <= epoch(e["at"]) <= hi
                ),
                None,
            )
            if found is None:
                problems.append(
                    f"MISSING audit event {kind}/{action} of acknowledged {entry['kind']} "
                    f"of participant {p.key} ({p.id}) between "
                    f"{datetime.datetime.fromtimestamp(lo, datetime.timezone.utc).isoformat()} and "
                    f"{datetime.datetime.fromtimestamp(hi, datetime.timezone.utc).isoformat()}"
                )
            else:
                used.add(found["id"])
    return used


def has_write_event(events, kind, since, detail_prefix=None):
    return any(
        e["record_kind"] == kind
        and e["action"] == "write"
        and epoch(e["at"]) >= int(since)
        and (detail_prefix is None or (e["detail"] or "").startswith(detail_prefix))
        for e in events
    )


def verify(ctx, p, problems):
    """Every acknowledged entry of `p` is in the database and has its audit events; what was in
    flight is either absent or present with its audit event."""
    v = ctx.verifier
    if p.id is None:
        # The create itself was in flight: find it by its unique name.
        if p.inflight is None:
            return
        page = v.ok("GET", f"/participants?q={p.family}&limit=5")
        found = [r for r in page["items"] if r["family_name"] == p.family]
        if found:
            events = events_of(ctx, found[0]["id"])
            if not has_write_event(events, "participant", p.inflight["t0"]):
                problems.append(
                    f"participant {p.key} written in flight at the kill is there without its audit event"
                )
        return
    status, b = v.call("GET", f"/participants/{p.id}")
    if status != 200:
        problems.append(f"MISSING participant {p.key} ({p.id}): GET answered {status}")
        return
    if b["participant"]["family_name"] != p.family:
        problems.append(f"participant {p.key} ({p.id}) has another name")
    enrolment = next((e for e in b["enrolments"] if e["id"] == p.enrolment_id), None)
    if enrolment is None:
        problems.append(f"MISSING enrolment of participant {p.key} ({p.id})")
        return
    events = events_of(ctx, p.id)
    match_events(p, events, problems)
    inflight = p.inflight or {}

    # Plan steps: the acknowledged ones by id and text; one in flight only with its event.
    steps = v.ok("GET", f"/participants/{p.id}/plan")
    steps = steps.get("steps", steps) if isinstance(steps, dict) else steps
    by_id = {s["id"]: s for s in steps}
    for e in p.entries:
        if e["kind"] == "plan":
            s = by_id.get(e["id"])
            if s is None or s["step"] != e["step"]:
                problems.append(f"MISSING plan step {e['step']!r} ({e['id']}) of {p.key}")
    if inflight.get("kind") == "plan" and any(s["step"] == inflight["step"] for s in steps):
        if len([x for x in events if x["record_kind"] == "plan" and x["action"] == "write"]) <= len(
            [e for e in p.entries if e["kind"] == "plan"]
        ):
            problems.append(f"plan step of {p.key} written in flight is there without its audit event")

    # Attendance: the month's minutes are the acknowledged ones, plus the one in flight only
    # when it landed with its event.
    months = {}
    for e in p.entries:
        if e["kind"] == "attendance":
            months[e["date"][:7]] = months.get(e["date"][:7], 0) + e["minutes"]
    if inflight.get("kind") == "attendance":
        months.setdefault(inflight["date"][:7], 0)
    for month, minutes in sorted(months.items()):
        r = v.ok(
            "GET", f"/participants/{p.id}/time-report?month={month}&project={ctx.project_id}"
        )
        got = r["attended_minutes"]
        if got == minutes:
            continue
        if (
            inflight.get("kind") == "attendance"
            and inflight["date"][:7] == month
            and got == minutes + inflight["minutes"]
        ):
            acked = len([e for e in p.entries if e["kind"] == "attendance"])
            written = len(
                [x for x in events if x["record_kind"] == "attendance" and x["action"] == "write"]
            )
            if written <= acked:
                problems.append(
                    f"attendance of {p.key} written in flight is there without its audit event"
                )
            continue
        problems.append(
            f"MISSING attendance of {p.key} ({p.id}) in {month}: {got} minutes, acknowledged {minutes}"
        )

    # Exit and follow-up answer.
    exits = [e for e in p.entries if e["kind"] == "exit"]
    if exits:
        if enrolment["exited_on"] != ctx.exited_on.isoformat() or enrolment["exit_status"] != exits[0]["exit_status"]:
            problems.append(f"MISSING exit of {p.key} ({p.id}): {enrolment['exited_on']} {enrolment['exit_status']}")
    elif enrolment["exited_on"] is not None:
        if inflight.get("kind") != "exit":
            problems.append(f"enrolment of {p.key} ended though no exit was sent")
        elif not has_write_event(events, "enrolment", inflight["t0"], "exit"):
            problems.append(f"exit of {p.key} made in flight is there without its audit event")
    answers = [e for e in p.entries if e["kind"] == "follow_up"]
    if answers or inflight.get("kind") == "follow_up":
        fus = {f["id"]: f for f in v.ok("GET", f"/participants/{p.id}/follow-ups")}
        for e in answers:
            f = fus.get(e["follow_up_id"])
            if f is None or f["done_on"] != ctx.done_on.isoformat() or any(
                f[k] != val for k, val in e["answers"].items()
            ):
                problems.append(f"MISSING follow-up answers of {p.key} ({e['follow_up_id']})")
        if inflight.get("kind") == "follow_up":
            f = fus.get(inflight["follow_up_id"])
            if f and f["done_on"] is not None and not has_write_event(
                events, "follow_up", inflight["t0"], "follow-up"
            ):
                problems.append(f"follow-up of {p.key} answered in flight is there without its audit event")


def self_check(ctx, parts):
    """The verification must be able to fail: a doctored copy of a verified participant, with
    a read that made no event and a plan step that was never written, must be reported."""
    p = next((p for p in parts if p.id and p.entries), None)
    if p is None:
        raise Failure("nothing was acknowledged before the first kill")
    fake = Participant(p.key, p.family)
    fake.id, fake.enrolment_id = p.id, p.enrolment_id
    long_ago = p.entries[0]["t0"] - 3600
    fake.entries = list(p.entries) + [
        {"kind": "read", "t0": long_ago, "t1": long_ago + 0.5},
        {"kind": "plan", "id": "01a24b21-0000-7000-8000-000000000000", "step": "never written",
         "t0": long_ago, "t1": long_ago + 0.5},
    ]
    found = []
    verify(ctx, fake, found)
    wanted = ["participant/read of acknowledged read", "plan/write of acknowledged plan",
              "MISSING plan step 'never written'"]
    if not all(any(w in f for f in found) for w in wanted) or len(found) != 4:
        raise Failure(f"the verification did not see a doctored ledger: {found}")


def login_token(ctx, email):
    return run_cli(ctx, "token", "create", "--email", email, "--name", "crash-test").strip()


def prepare(ctx):
    if ctx.backend == "postgres":
        admin = ctx.pg_url
        # Keep the query (sslmode, sslrootcert): only the database name changes.
        base, sep, query = admin.partition("?")
        ctx.database_url = base.rsplit("/", 1)[0] + "/stegvis_crash" + sep + query
        psql(admin, "DROP DATABASE IF EXISTS stegvis_crash WITH (FORCE)")
        psql(admin, "CREATE DATABASE stegvis_crash")
    else:
        ctx.database_url = None
    run_cli(ctx, "demo", "--participants", "300", "--no-serve")
    ctx.coach_token = login_token(ctx, COACH)
    ctx.verifier_token = login_token(ctx, VERIFIER)
    ctx.auditor_token = login_token(ctx, AUDITOR)


def psql(url, sql):
    r = subprocess.run(["psql", "-q", "-X", url, "-c", sql], capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure(f"psql {sql}: {r.stderr}")


def connect(ctx, base):
    ctx.coach = Api(base, ctx.coach_token)
    ctx.verifier = Api(base, ctx.verifier_token)
    ctx.auditor = Api(base, ctx.auditor_token)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--binary", default="target/debug/stegvis")
    ap.add_argument("--out", default="target/crash-test")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument(
        "--pg-url",
        default=os.environ.get(
            "STEGVIS_CRASH_PG_URL", "postgres://stegvis:stegvis@127.0.0.1:5432/postgres"
        ),
    )
    args = ap.parse_args()

    ctx = Context()
    ctx.backend = args.backend
    ctx.binary = os.path.abspath(args.binary)
    ctx.out = os.path.abspath(os.path.join(args.out, args.backend))
    ctx.seed = args.seed
    ctx.pg_url = args.pg_url
    ctx.data_dir = os.path.join(ctx.out, "data")
    ctx.env = {**os.environ, "STEGVIS_LOG": "warn,sqlx=error"}
    for v in ("DATABASE_URL", "STEGVIS_DATA_DIR", "STEGVIS_KEY_FILE", "STEGVIS_LISTEN"):
        ctx.env.pop(v, None)
    subprocess.run(["rm", "-rf", ctx.out], check=True)
    os.makedirs(ctx.data_dir)
    rng = random.Random(args.seed)
    started = time.time()
    label = f"[crash-test {ctx.backend}]"
    print(f"{label} seed {args.seed}, {args.kills} kills, {args.writers} writers, in {ctx.out}", flush=True)

    prepare(ctx)
    ledger_path = os.path.join(ctx.out, "ledger.jsonl")
    ctx.ledger = Ledger(ledger_path)
    # Dates well inside the running demo project and before today in any time zone.
    today = datetime.date.today()
    ctx.enrolled_on = today - datetime.timedelta(days=40)
    ctx.attendance_days = 30
    ctx.exited_on = today - datetime.timedelta(days=8)
    ctx.done_on = today - datetime.timedelta(days=2)

    proc, base = start_server(ctx)
    connect(ctx, base)
    ctx.coach_id = ctx.coach.ok("GET", "/account")["id"]
    projects = ctx.coach.ok("GET", "/projects")
    ctx.project_id = next(p["id"] for p in projects if p["name"] == PROJECT)
    ctx.activities = [a["id"] for a in ctx.coach.ok("GET", f"/projects/{ctx.project_id}/activities")]

    everyone = []
    totals = {"writes": 0, "reads": 0, "inflight": 0, "unexpected": 0}
    problems = []
    try:
        for run in range(1, args.kills + 1):
            t_run = time.time()
            stop = threading.Event()
            writers = [Writer(ctx, run, i, stop) for i in range(args.writers)]
            for w in writers:
                w.start()
            time.sleep(rng.uniform(0.2, 3.0))
            kill(proc)
            stop.set()
            for w in writers:
                w.join(timeout=60)
            if any(w.is_alive() for w in writers):
                raise Failure("a writer did not stop after the kill")
            parts = [p for w in writers for p in w.participants]
            entries = [e for p in parts for e in p.entries]
            writes = len([e for e in entries if e["kind"] not in READS])
            reads = len(entries) - writes
            inflight = len([p for p in parts if p.inflight])
            unexpected = [u for w in writers for u in w.unexpected]
            totals["writes"] += writes
            totals["reads"] += reads
            totals["inflight"] += inflight
            totals["unexpected"] += len(unexpected)
            for u in unexpected:
                problems.append(f"run {run}: unexpected answer {u}")

            # The crashed database as it is, before a restart could repair anything.
            r = subprocess.run(
                [ctx.binary, "check", *storage_args(ctx)], capture_output=True, text=True, env=ctx.env
            )
            if r.returncode != 0:
                problems.append(f"run {run}: stegvis check after the kill failed:\n{r.stdout}{r.stderr}")

            proc, base = start_server(ctx)
            connect(ctx, base)
            before = len(problems)
            for p in parts:
                verify(ctx, p, problems)
            everyone.extend(parts)
            if run == 1:
                self_check(ctx, parts)
            status = "ok" if len(problems) == before and not unexpected and r.returncode == 0 else "FAILED"
            print(
                f"{label} kill {run}/{args.kills}: {writes} writes and {reads} reads acknowledged, "
                f"{inflight} in flight, verified, check {'ok' if r.returncode == 0 else 'FAILED'} "
                f"({time.time() - t_run:.1f} s) {status}",
                flush=True,
            )
            for msg in problems[before:]:
                print(f"{label}   {msg}", flush=True)
            if problems:
                break

        if not problems:
            # After the last restart: everything acknowledged in every run is still there.
            t_all = time.time()
            # What was in flight at a kill stays as found then: present with its event, or absent.
            for p in everyone:
                verify(ctx, p, problems)
            for msg in problems:
                print(f"{label}   final pass: {msg}", flush=True)
            print(
                f"{label} final pass: {len(everyone)} participants verified again "
                f"({time.time() - t_all:.1f} s)",
                flush=True,
            )
    finally:
        kill(proc)

    elapsed = time.time() - started
    result = {
        "backend": ctx.backend,
        "seed": args.seed,
        "kills": run,
        "writers": args.writers,
        "acknowledged_writes": totals["writes"],
        "acknowledged_reads": totals["reads"],
        "in_flight_at_kills": totals["inflight"],
        "participants": len(everyone),
        "missing": len(problems),
        "seconds": round(elapsed, 1),
        "ledger": ledger_path,
    }
    with open(os.path.join(ctx.out, "result.json"), "w") as f:
        json.dump(result, f, indent=2)
    print(f"{label} {json.dumps(result)}", flush=True)
    if problems:
        print(f"{label} FAILED: {len(problems)} problems (the first above); data kept in {ctx.out}")
        sys.exit(1)
    if ctx.backend == "postgres":
        psql(ctx.pg_url, "DROP DATABASE IF EXISTS stegvis_crash WITH (FORCE)")
    subprocess.run(["rm", "-rf", ctx.data_dir], check=True)
    print(
        f"{label} passed: {run} kills, {totals['writes']} writes and {totals['reads']} reads "
        f"acknowledged, 0 missing, {elapsed:.0f} s",
        flush=True,
    )


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print(f"[crash-test] FAILED: {e}", file=sys.stderr)
        sys.exit(1)
