"""Kill the real server in the middle of work and check that nothing is half-written.

Used by the short in-suite test (test_kill.py) and by `bench/crash.py`, which repeats it with
different kill moments. Everything runs like production: granian with 2 WSGI workers, DEBUG off,
requests over HTTP (the counter's intake form with a scan, the plan API's progress updates), then
SIGKILL to the server's whole process group, the restart procedure (`cchc uploads sweep --grace
0`, start again) and the checks (`check_site`, run in a fresh process).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "KiemThu@2026"
UNIT_CODE = "000.77.01.H29"


def _request(url: str, **kwargs: Any) -> urllib.request.Request:
    """Requests go to our own server on the loopback address only."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(url)
    return urllib.request.Request(url, **kwargs)  # noqa: S310 - checked above


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Site:
    root: Path
    env: dict[str, str]
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cchc(self, *args: str, timeout: int = 600) -> str:
        done = subprocess.run(  # noqa: S603 - our own console script
            [sys.executable, "-m", "cchc.cli", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"cchc {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def python(self, code: str) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"python failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout


def ensure_database(url: str) -> None:
    """A fresh, empty PostgreSQL database for the site."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(root: Path, database_url: str | None = None) -> Site:
    """A fresh installation in `root`: migrated, static files collected, one school seeded."""
    root.mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "CCHC_VAR_DIR": str(root),
        "MEDIA_ROOT": str(root / "media"),
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "kill-test-secret-key-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CCHC_PUBLIC_RATE_PER_MINUTE": "100000",
        "LOG_LEVEL": "ERROR",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("SECRET_KEY_FILE", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    site = Site(root=root, env=env)
    site.cchc("migrate", "--noinput", "-v0")
    site.cchc("createcachetable")
    site.cchc("collectstatic", "--noinput", "-v0")
    site.python(
        "import django; django.setup(); from cchc.backups.tests.killharness import seed; seed()"
    )
    return site


def seed() -> None:
    """One school, a clerk (counter), a principal with an API token, a plan with four tasks."""
    from cchc.accounts.models import Role
    from cchc.accounts.services import api_token_create
    from cchc.dossiers import procedures
    from cchc.organizations.models import UnitKind
    from cchc.plans.models import Plan, Recurrence, Task
    from tests.factories import StaffFactory, UnitFactory

    school = UnitFactory(kind=UnitKind.SCHOOL, name="Trường THCS Kiểm thử", code=UNIT_CODE)
    clerk = StaffFactory(
        unit=school, full_name="Lê Thị Văn Thư", user__username="vanthu", roles=[Role.CLERK]
    )
    clerk.user.set_password(PASSWORD)
    clerk.user.save()
    principal = StaffFactory(
        unit=school,
        full_name="Nguyễn Văn Hiệu Trưởng",
        user__username="hieutruong",
        roles=[Role.PRINCIPAL],
    )
    procedures.procedure_seed_defaults(actor=clerk.user, unit=school)
    plan = Plan.objects.create(unit=school, title="Kế hoạch CCHC năm 2026", year=2026)
    group = Task.objects.create(plan=plan, number="1", title="Cải cách thủ tục hành chính")
    for n in range(1, 5):
        Task.objects.create(
            plan=plan,
            parent=group,
            number=f"1.{n}",
            title=f"Nhiệm vụ {n}",
            recurrence=Recurrence.ONCE,
        )
    _, raw = api_token_create(user=principal.user, name="kill test", second_factor_passed=True)
    var = Path(os.environ["CCHC_VAR_DIR"])
    (var / "token").write_text(raw)
    leaves = Task.objects.filter(parent__isnull=False).order_by("pk")
    (var / "tasks.json").write_text(json.dumps(list(leaves.values_list("pk", flat=True))))


def start(site: Site) -> None:
    site.port = _free_port()
    site.proc = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(site.port),
            "--workers",
            "2",
            "--blocking-threads",
            "4",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=site.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(site.base + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    kill(site)
    raise RuntimeError("granian did not start")


def kill(site: Site) -> None:
    """SIGKILL to the server and its workers (the process group): no clean-up runs."""
    if site.proc is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(site.proc.pid, signal.SIGKILL)
    site.proc.wait(timeout=30)
    site.proc = None


def restart(site: Site) -> str:
    """What the service does after a crash: finish or undo interrupted uploads, then start."""
    swept = site.cchc("uploads", "sweep", "--grace", "0")
    start(site)
    return swept


# ---------------------------------------------------------------- clients


@dataclass
class Tally:
    receipts_ok: list[int] = field(default_factory=list)
    receipts_failed: int = 0
    updates_ok: int = 0
    updates_failed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _multipart(
    fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    boundary = "cchc" + uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append((head + f"{value}\r\n").encode())
    for name, filename, data in files:
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Counter:
    """One clerk at the counter: logged in, posting the intake form with a scan."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )
        self.form: dict[str, Any] = {}

    def _csrf(self, html: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return found.group(1) if found else ""

    def _open(self, request: urllib.request.Request, timeout: float = 20) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return (
                    response.status,
                    response.read().decode(),
                    response.headers.get("Location", ""),
                )
        except urllib.error.HTTPError as error:
            return (
                error.code,
                error.read().decode(errors="replace"),
                error.headers.get("Location", ""),
            )

    def login(self) -> None:
        url = self.site.base + "/tai-khoan/dang-nhap/"
        _, html, _ = self._open(_request(url))
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self._csrf(html), "username": "vanthu", "password": PASSWORD}
        ).encode()
        status, _, _ = self._open(_request(url, data=data, headers={"Referer": url}))
        if status != 302:
            raise RuntimeError(f"log-in failed: {status}")
        _, html, _ = self._open(_request(self.site.base + "/quan-ly/ho-so/tiep-nhan/"))
        procedure = re.search(r'<option value="(\d+)"[^>]*>\s*Chuyển trường', html)
        if procedure is None:
            procedure = re.search(r'name="procedure"[^>]*>.*?<option value="(\d+)"', html, re.S)
        self.form = {"procedure": procedure.group(1) if procedure else ""}
        # Only the chosen procedure's checklist: a paper of another procedure is refused.
        checklist = re.search(
            rf'<fieldset class="checklist" data-procedure="{self.form["procedure"]}".*?</fieldset>',
            html,
            re.S,
        )
        self.form["documents"] = re.findall(
            r'name="documents" value="([^"]+)"', checklist.group(0) if checklist else ""
        )

    def receive(self, marker: str) -> int | None:
        """Post one receipt with its scan; the dossier's id when the server acknowledged it."""
        url = self.site.base + "/quan-ly/ho-so/tiep-nhan/"
        _, html, _ = self._open(_request(url))
        fields = [
            ("csrfmiddlewaretoken", self._csrf(html)),
            ("procedure", self.form["procedure"]),
            ("applicant_name", "Nguyễn Văn An"),
            ("applicant_phone", "0912345678"),
            ("channel", "in_person"),
            ("subject", marker),
        ] + [("documents", d) for d in self.form["documents"]]
        body, content_type = _multipart(
            fields, [("scan", f"{marker}.pdf", b"%PDF-1.4\n" + marker.encode() + b"\n" * 2000)]
        )
        request = _request(url, data=body, headers={"Content-Type": content_type, "Referer": url})
        status, _, location = self._open(request)
        found = re.search(r"/ho-so/(\d+)/", location) if status == 302 else None
        return int(found.group(1)) if found else None


class Planner:
    """Progress updates through the API (bearer token), with the optimistic version."""

    def __init__(self, site: Site, task_id: int) -> None:
        self.site, self.task_id = site, task_id
        self.token = (site.root / "token").read_text().strip()
        self.version: int | None = None

    def _call(self, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
        data = json.dumps(payload).encode() if payload is not None else None
        request = _request(
            self.site.base + "/api/v1" + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, None

    def update(self, progress: int) -> bool:
        if self.version is None:
            status, plans = self._call("GET", "/plans")
            if status != 200:
                return False
            _, tasks = self._call("GET", f"/plans/{plans[0]['id']}/tasks")
            self.version = next(t["version"] for t in tasks if t["id"] == self.task_id)
        status, task = self._call(
            "PATCH",
            f"/tasks/{self.task_id}",
            {"status": "in_progress", "progress": progress, "note": "", "version": self.version},
        )
        if status == 200:
            self.version = task["version"]
            return True
        self.version = None  # stale or lost answer: read it again next time
        return False


def task_ids(site: Site) -> list[int]:
    return json.loads((site.root / "tasks.json").read_text())


@dataclass
class Clients:
    clerks: list[Counter]
    planners: list[Planner]


def make_clients(site: Site, counters: int = 4) -> Clients:
    """Log the clerks in before any kill is scheduled (sessions survive restarts: database)."""
    clerks = []
    for _ in range(counters):
        clerk = Counter(site)
        clerk.login()
        clerks.append(clerk)
    return Clients(clerks=clerks, planners=[Planner(site, pk) for pk in task_ids(site)])


def warm_up(clients: Clients) -> None:
    """After a (re)start, load the application in the workers before the load starts."""
    for clerk in clients.clerks:
        clerk._open(_request(clerk.site.base + "/quan-ly/ho-so/tiep-nhan/"))
    for planner in clients.planners:
        planner.version = None
        planner._call("GET", "/plans")


def burst(
    clients: Clients, *, seconds: float, tally: Tally, stop: threading.Event | None = None
) -> None:
    """Clerks post receipts and planners update tasks until `seconds` pass or `stop` is set."""
    stop_at = time.monotonic() + seconds
    stop = stop or threading.Event()

    def running() -> bool:
        return time.monotonic() < stop_at and not stop.is_set()

    def clerk_loop(clerk: Counter) -> None:
        while running():
            try:
                pk = clerk.receive("kt-" + uuid.uuid4().hex[:10])
            except OSError:
                pk = None
            with tally.lock:
                if pk is None:
                    tally.receipts_failed += 1
                else:
                    tally.receipts_ok.append(pk)
            if pk is None:
                time.sleep(0.05)

    def planner_loop(planner: Planner) -> None:
        progress = 0
        while running():
            progress = (progress + 7) % 100
            try:
                ok = planner.update(progress)
            except OSError:
                ok = False
            with tally.lock:
                if ok:
                    tally.updates_ok += 1
                else:
                    tally.updates_failed += 1
            if not ok:
                time.sleep(0.05)

    threads = [threading.Thread(target=clerk_loop, args=(c,)) for c in clients.clerks]
    threads += [threading.Thread(target=planner_loop, args=(p,)) for p in clients.planners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def burst_and_kill(
    site: Site, clients: Clients, *, kill_after: float, tally: Tally, min_receipts: int = 1
) -> float:
    """A burst that outlives the server: SIGKILL lands `kill_after` seconds after the burst has
    had `min_receipts` receipts acknowledged (so a slow machine still kills mid-work); the
    clients keep sending for one more second. Returns the seconds from start to the kill."""
    stop = threading.Event()
    started = time.monotonic()
    before = len(tally.receipts_ok)
    killed_at: list[float] = []

    def killer() -> None:
        deadline = time.monotonic() + 120
        while len(tally.receipts_ok) - before < min_receipts and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(kill_after)
        kill(site)
        killed_at.append(time.monotonic() - started)
        time.sleep(1.0)
        stop.set()

    thread = threading.Thread(target=killer)
    thread.start()
    burst(clients, seconds=300, tally=tally, stop=stop)
    thread.join()
    return killed_at[0]


# ---------------------------------------------------------------- checks (fresh process)


def check_site(site: Site, acknowledged: list[int]) -> dict[str, Any]:
    (site.root / "acknowledged.json").write_text(json.dumps(acknowledged))
    out = site.python(
        "import django, json; django.setup(); "
        "from cchc.backups.tests.killharness import check; print(json.dumps(check()))"
    )
    return json.loads(out.strip().splitlines()[-1])


def check() -> dict[str, Any]:
    """The invariants after a crash and restart; each list names what broke."""
    import io

    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from cchc.backups.sweep import referenced_names
    from cchc.core.models import AuditEvent
    from cchc.dossiers.models import Counter as Sequence
    from cchc.dossiers.models import Dossier
    from cchc.plans.models import Task

    root = Path(os.environ["CCHC_VAR_DIR"])
    acknowledged = set(json.loads((root / "acknowledged.json").read_text()))
    problems: dict[str, list[str]] = {
        "half_written": [],
        "code_gaps": [],
        "lost_acknowledged": [],
        "missing_files": [],
        "orphan_files": [],
        "pending_files": [],
        "task_versions": [],
        "audit": [],
    }
    dossiers = list(Dossier.objects.filter(unit__code=UNIT_CODE).prefetch_related("attachments"))
    receive_audits = set(
        AuditEvent.objects.filter(
            object_type="dossiers.dossier", verb__startswith="dossier.receive"
        ).values_list("object_id", flat=True)
    )
    for dossier in dossiers:
        files = list(dossier.attachments.all())
        if len(files) != 1 or str(dossier.pk) not in receive_audits or not dossier.events.exists():
            problems["half_written"].append(dossier.code)
            continue
        path = Path(default_storage.location) / files[0].file.name
        if not path.is_file() or not path.read_bytes().startswith(b"%PDF"):
            problems["missing_files"].append(files[0].file.name)
    problems["lost_acknowledged"] = [str(pk) for pk in acknowledged - {d.pk for d in dossiers}]
    by_day: dict[str, list[int]] = {}
    for dossier in dossiers:
        prefix, number = dossier.code.rsplit("-", 1)
        by_day.setdefault(prefix, []).append(int(number))
    for prefix, numbers in by_day.items():
        day = prefix.rsplit("-", 1)[1]
        last = Sequence.objects.get(unit__code=UNIT_CODE, scope=f"day:{day}").last
        if sorted(numbers) != list(range(1, last + 1)):
            problems["code_gaps"].append(f"{prefix}: {len(numbers)} codes, counter {last}")
    referenced = referenced_names()
    media = Path(default_storage.location)
    for path in media.rglob("*"):
        if not path.is_file():
            continue
        name = path.relative_to(media).as_posix()
        if name.startswith(".pending/"):
            if name != ".pending/.lock":
                problems["pending_files"].append(name)
        elif name not in referenced:  # set aside (.orphans/) or left in place: both count
            problems["orphan_files"].append(name)
    for task in Task.objects.all():
        updates = AuditEvent.objects.filter(
            object_type="plans.task", object_id=str(task.pk), verb="task.progress"
        ).count()
        if task.version - 1 != updates:
            problems["task_versions"].append(f"task {task.pk}: v{task.version}, {updates} audited")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as error:
        problems["audit"].append(f"{error} {err.getvalue()}")
    return {
        "dossiers": len(dossiers),
        "task_updates": sum(t.version - 1 for t in Task.objects.all()),
        "audit": out.getvalue().strip(),
        "problems": {k: v for k, v in problems.items() if v},
    }
