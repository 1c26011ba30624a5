"""Dossier benchmark: public look-up throughput against a trivial view, and KPI timings.

Usage (from the repository root, after `make install`; needs Debian's `wrk`):
    .venv/bin/python bench/dossiers.py [--dossiers 100000] [--units 100] [--baseline REV]
    DATABASE_URL=postgres://... .venv/bin/python bench/dossiers.py

It builds its own database (a temporary SQLite file unless DATABASE_URL is set: that database
is flushed first), inserts the dossiers with bulk inserts (then ANALYZE on PostgreSQL), measures
the KPIs in-process, then
starts granian (2 WSGI workers, 2 blocking threads each, as deployed) on 127.0.0.1, warms both
workers up (on /healthz and on look-ups of codes outside the samples) and runs wrk against
/healthz (no database) then a cold pass over 1,000 random codes (each requested once), three
times (--rounds; new codes each round, the median ratio is the figure: one pass lasts about a
second, and the machine's other work moves it), then one hot code, every look-up from its own
address through the real shared rate limit; then one address
for 10 s, whose accepted look-ups must be exactly the limit with two workers. Beside each
throughput it prints the server's CPU per request (its processes' user + system time over the
requests answered), which the load of other work on a shared machine moves much less, and on
PostgreSQL the database's CPU per look-up. With
--baseline REV the same is measured first on the code of that revision (unpacked with
`git archive`, same database): before and after in one run. It prints figures and ratios; it
asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from statistics import median
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def setup_env(tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.update(
        {
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "CCHC_PUBLIC_RATE_PER_MINUTE": "30",
            "TRUSTED_PROXIES": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-" + "x" * 40)
    os.environ.setdefault("CCHC_VAR_DIR", str(tmp))
    sys.path.insert(0, str(ROOT))


def build(n_dossiers: int, n_units: int) -> list[str]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from cchc.dossiers import procedures
    from cchc.dossiers.models import Channel, Dossier
    from cchc.organizations import demo
    from cchc.organizations.models import Unit

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", "--noinput", verbosity=0)
    demo.seed_base()
    demo.seed_bulk(units=n_units - 1, staff_per_unit=5)
    units = list(Unit.objects.filter(kind="school").order_by("path")[:n_units])
    rng = random.Random(7)
    codes = []
    per_unit = n_dossiers // len(units)
    start = datetime(2026, 1, 5, 8, 0, tzinfo=VN)
    for unit in units:
        procedure = procedures.procedure_seed_defaults(actor=None, unit=unit)[0]
        rows = []
        for i in range(per_unit):
            received = start + timedelta(days=rng.randint(0, 320), minutes=rng.randint(0, 480))
            due = received + timedelta(days=7)
            done = received + timedelta(days=rng.choice([2, 3, 5, 6, 8]))
            finished = done < datetime(2026, 11, 20, tzinfo=VN)
            code = f"{unit.code}-{received:%y%m%d}-{i:05d}"
            codes.append(code)
            rows.append(
                Dossier(
                    unit=unit,
                    procedure=procedure,
                    code=code,
                    channel=Channel.IN_PERSON,
                    status="returned" if finished else "processing",
                    applicant_name="Nguyễn Văn An",
                    applicant_phone="0912345678",
                    submitted_at=received,
                    received_at=received,
                    due_at=due,
                    result_at=done if finished else None,
                    returned_at=done if finished else None,
                    book_entry=i + 1,
                )
            )
        with transaction.atomic():
            Dossier.objects.bulk_create(rows, batch_size=2000)
    if connection.vendor == "postgresql":
        # A served database has statistics (autovacuum analyses a table a minute or so after a
        # bulk load); the servers start seconds after this one, before it would.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return codes


def time_kpis(n_units: int) -> dict[str, float]:
    from cchc.kpi.registry import Period, measure
    from cchc.organizations.models import Unit

    one = Unit.objects.filter(code="000.31.41.H29")
    many = Unit.objects.filter(kind="school").order_by("path")[:n_units]
    codes = [
        "dossier_on_time_rate",
        "dossier_on_time_rate_766",
        "late_apology_rate",
        "dossier_online_rate",
    ]
    out = {}
    for label, units in (("1 đơn vị", one), (f"{n_units} đơn vị", many)):
        runs = []
        for _ in range(5):
            began = time.perf_counter()
            for code in codes:
                measure(code, units, Period.year(2026))
            runs.append(time.perf_counter() - began)
        out[label] = median(runs)
    return out


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the processes of group `pgid` (the server
    and its workers). On a shared machine a throughput figure moves with everyone else's load;
    the server's CPU per request moves much less, so both are printed."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def database_cpu() -> float:
    """CPU seconds used so far by PostgreSQL's processes on this machine (0 on SQLite, which
    works inside the server's own processes): the look-up's statement costs the database CPU
    that /healthz never pays, on the same cores. Any other work of the cluster counts too."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if Path(f"/proc/{entry}/comm").read_text().strip() != "postgres":
                continue
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str, seconds: int, script: Path | None = None, *, quiet: bool = False) -> float:
    """Requests per second; for a cold pass (its script prints COLD <done> <seconds>), the rate
    over the time the threads took to finish their codes, not over wrk's whole duration."""
    return wrk_run(url, seconds, script, quiet=quiet)[0]


def wrk_run(
    url: str,
    seconds: int,
    script: Path | None = None,
    *,
    refusals_expected: bool = False,
    quiet: bool = False,
) -> tuple[float, int, str]:
    """(requests per second as `wrk` says, requests answered, wrk's output)."""
    extra = ["-s", str(script)] if script else []
    result = subprocess.run(  # noqa: S603
        [shutil.which("wrk") or "wrk", "-t2", "-c32", f"-d{seconds}s", *extra, url],
        capture_output=True,
        text=True,
        check=True,
    )
    if result.stderr.strip():  # a script that does not load: wrk would have measured "/"
        raise SystemExit(f"wrk: {result.stderr.strip()}")
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if non2xx and not refusals_expected:
        print(f"  cảnh báo: {non2xx.group(1)} phản hồi lỗi từ {url}")
    total = re.search(r"(\d+) requests in", result.stdout)
    answered = int(total.group(1)) if total else 0  # with those still in flight at a stop
    cold = re.search(r"COLD (\d+) (\d+) ([\d.]+)", result.stdout)
    if cold:
        done, wanted, elapsed = int(cold[1]), int(cold[2]), float(cold[3])
        if done < wanted and not quiet:
            print(f"  cảnh báo: chỉ {done}/{wanted} mã được tra cứu trong {seconds} s")
        return (done / elapsed if elapsed > 0 else 0.0), answered, result.stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    return (float(match.group(1)) if match else 0.0), answered, result.stdout


# Every request comes from its own citizen (a random X-Forwarded-For through the trusted proxy
# 127.0.0.1), so the look-up pays the real shared rate limit (30 per minute per address, the
# database cache) without being refused.
_CITIZENS = """
local function citizen()
  return string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
end
"""

# The cold pass: each of the two threads walks its own half of the codes once, notes when it
# started and finished (wrk itself always runs for the whole -d duration) and stops. A raw string:
# the "\n" is Lua's (a real line break inside a Lua string literal fails to load, and wrk then
# silently requests "/" instead).
_ONCE = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_usec; } bench_timeval;
int gettimeofday(bench_timeval *tv, void *tz);
]]
local function now()
  local tv = ffi.new("bench_timeval")
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) / 1e6
end
local threads = {}
local counter = 1
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  half = math.floor(#paths / 2)
  next_index = (id - 1) * half
  done = 0
  started = now()
  finished = 0
end
function request()
  next_index = next_index + 1
  local path = paths[((next_index - 1) % #paths) + 1]
  return wrk.format(nil, path, {["X-Forwarded-For"] = citizen()})
end
function response(status, headers, body)
  if finished > 0 then return end
  done = done + 1
  if done >= half then
    finished = now()
    wrk.thread:stop()
  end
end
function done(summary, latency, requests)
  local first, last, total = nil, 0, 0
  for _, thread in ipairs(threads) do
    local s, f = thread:get("started"), thread:get("finished")
    if first == nil or s < first then first = s end
    if f == 0 then f = s + 1e9 end
    if f > last then last = f end
    total = total + thread:get("done")
  end
  io.write(string.format("COLD %d %d %.6f\n", total, #paths, last - first))
end
"""


# The limit: every request from one address; the statuses are counted.
_ONE_CITIZEN = r"""
local counts = {}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) accepted = 0 refused = 0 other = 0 end
function request()
  return wrk.format(nil, path, {["X-Forwarded-For"] = "10.99.99.99"})
end
function response(status, headers, body)
  if status == 200 then accepted = accepted + 1
  elseif status == 429 then refused = refused + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local a, r, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("accepted") r = r + thread:get("refused") o = o + thread:get("other")
  end
  io.write(string.format("LIMIT %d %d %d\n", a, r, o))
end
"""


def lua_script(paths: list[str], *, once: bool) -> Path:
    """A wrk script over `paths`. once=True: the two threads walk disjoint halves in order and
    stop when theirs is done, so every code is requested once (a cold pass); else one path."""
    script = Path(tempfile.mkdtemp()) / "lookup.lua"
    listed = ",".join(f'"{path}"' for path in paths)
    body = f"local paths = {{{listed}}}\n" + _CITIZENS
    if once:
        body += _ONCE
    else:
        body += """
function request()
  return wrk.format(nil, paths[1], {["X-Forwarded-For"] = citizen()})
end
"""
    script.write_text(body)
    return script


def limit_script(path: str) -> Path:
    script = Path(tempfile.mkdtemp()) / "limit.lua"
    script.write_text(f'local path = "{path}"\n' + _ONE_CITIZEN)
    return script


def clear_rate_limit() -> None:
    """Start each phase with no limit slots (the database cache counts its rows on every add).

    RATELIMIT_CACHE_URL=locmemcache:// in the environment measures the look-up without the shared
    limit's writes (each worker then keeps its own slots)."""
    from django.core.cache import caches
    from django.db import connections

    caches["ratelimit"].clear()
    connections.close_all()


@dataclass
class Figures:
    """Requests per second and the server's CPU milliseconds per request, per phase; the cold
    pass and the /healthz measured just before it once per round."""

    rate: dict[str, float] = field(default_factory=dict)
    cpu_ms: dict[str, float] = field(default_factory=dict)
    limit: tuple[int, int, int] = (0, 0, 0)  # accepted, refused (429), other, from one address
    db_ms: dict[str, float] = field(default_factory=dict)  # the database's CPU per request
    rounds: list[tuple[float, float, float, float, float]] = field(default_factory=list)
    # each round: (/healthz req/s, cold req/s, /healthz CPU ms, cold CPU ms, cold database ms)

    def cold_ratio(self) -> tuple[float, float, float]:
        """The cold pass against /healthz: (median, lowest, highest) over the rounds."""
        ratios = [cold / trivial for trivial, cold, *_ in self.rounds if trivial]
        return median(ratios), min(ratios), max(ratios)

    def cold_cpu_ratio(self) -> float:
        """/healthz's server CPU per request over the cold look-up's, median over the rounds."""
        return median(trivial / cold for _, _, trivial, cold, _ in self.rounds if cold)


def serve_and_measure(
    codes: list[str],
    seconds: int,
    *,
    source: Path,
    seed: int,
    threads: int = 4,
    rounds: int = 3,
) -> Figures:
    """/healthz and a cold pass over 1,000 random codes, `rounds` times (each round new codes,
    each pass right after its own /healthz: the machine is shared, and one pass lasts about a
    second), then one hot code and the limit of one address, on granian (2 workers) running
    the code in `source` (the working tree, or an older revision for the baseline)."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(source),
    }
    # The cache tables where this code keeps them (since the rate limit's own SQLite file, not
    # where an older revision looked for them).
    subprocess.run(
        [sys.executable, "-m", "django", "createcachetable"], cwd=source, env=env, check=True
    )
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--blocking-threads",
            str(threads),
            "--log-level",
            "warning",
            "config.wsgi:application",
        ],
        cwd=source,
        env=env,
        start_new_session=True,
        # The server's log (a line per refused request in the limit's phase) beside its data.
        stderr=(Path(os.environ["CCHC_VAR_DIR"]) / f"server-{seed}.log").open("w"),
    )
    figures = Figures()

    def phase(name: str, url: str, wrk_seconds: int, script: Path | None = None) -> str:
        cpu, database = group_cpu(server.pid), database_cpu()
        rate, answered, output = wrk_run(url, wrk_seconds, script)
        used, database = group_cpu(server.pid) - cpu, database_cpu() - database
        figures.rate[name] = rate
        figures.cpu_ms[name] = used * 1000 / max(answered, 1)
        figures.db_ms[name] = database * 1000 / max(answered, 1)
        return output

    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        base = f"http://127.0.0.1:{port}"
        samples = random.Random(seed).sample(codes, 1000 * rounds)
        # Warm both workers up: the first requests of a process import, compile templates and
        # open database connections, whatever the code. The look-up is warmed on codes outside
        # the samples, so each code of a cold pass is still requested for the first time.
        wrk(f"{base}/healthz", 1)
        sampled = set(samples)
        others = [code for code in codes[:5000] if code not in sampled][:200]
        wrk(base, 2, lua_script([f"/tra-cuu/{c}/" for c in others], once=True), quiet=True)
        clear_rate_limit()
        for n in range(rounds):
            phase("trivial", f"{base}/healthz", seconds)
            # Many citizens: 1,000 different codes, each requested once (nothing of them cached).
            sample = samples[1000 * n : 1000 * (n + 1)]
            phase("cold", base, 30, lua_script([f"/tra-cuu/{c}/" for c in sample], once=True))
            clear_rate_limit()
            figures.rounds.append(
                (
                    figures.rate["trivial"],
                    figures.rate["cold"],
                    figures.cpu_ms["trivial"],
                    figures.cpu_ms["cold"],
                    figures.db_ms["cold"],
                )
            )
        hot_path = f"/tra-cuu/{codes[len(codes) // 2]}/"
        phase("hot", base, seconds, lua_script([hot_path], once=False))
        clear_rate_limit()
        # The hot code against the /healthz measured right after it.
        phase("trivial", f"{base}/healthz", seconds)
        # One citizen, as fast as wrk can, for 10 s (inside one window of a minute): the look-ups
        # accepted must be exactly the limit, whichever of the two workers answers.
        output = wrk_run(base, 10, limit_script(hot_path), refusals_expected=True)[2]
        counted = re.search(r"LIMIT (\d+) (\d+) (\d+)", output)
        if counted:
            figures.limit = (int(counted[1]), int(counted[2]), int(counted[3]))
        clear_rate_limit()
        return figures
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def baseline_tree(revision: str) -> Path:
    """The code of `revision` (for example main) unpacked aside, to serve the old look-up."""
    target = Path(tempfile.mkdtemp(prefix="cchc-baseline-"))
    archive = subprocess.run(  # noqa: S603
        [shutil.which("git") or "/usr/bin/git", "archive", revision],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(  # noqa: S603
        [shutil.which("tar") or "/usr/bin/tar", "-x", "-C", str(target)],
        input=archive,
        check=True,
    )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument(
        "--threads",
        type=int,
        default=2,
        help="granian's blocking threads per worker (2 as deployed; 1 or 4 show what threads cost)",
    )
    parser.add_argument(
        "--baseline-threads",
        type=int,
        help="the baseline's threads per worker (default: --threads; 4 was deployed before)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="cold passes, each on 1,000 new codes after its own /healthz (the median is shown)",
    )
    parser.add_argument(
        "--baseline",
        metavar="REV",
        help="also serve the look-up of this git revision (the old path) on the same database",
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    setup_env(tmp)
    import django

    django.setup()
    from django.db import connection

    began = time.perf_counter()
    codes = build(args.dossiers, args.units)
    print(
        f"Cơ sở dữ liệu: {connection.vendor}; {len(codes):,} hồ sơ, {args.units} đơn vị "
        f"(tạo trong {time.perf_counter() - began:.1f} s)"
    )
    for label, seconds in time_kpis(args.units).items():
        print(f"KPI hồ sơ (4 chỉ số, 1 năm) cho {label}: {seconds * 1000:.1f} ms")
    connection.close()
    if not shutil.which("wrk"):
        print("Không có wrk (apt-get install wrk): bỏ qua phần đo tra cứu.")
        return
    runs = [("sau", ROOT, 11, args.threads)]
    if args.baseline:
        before = f"trước ({args.baseline})"
        threads = args.baseline_threads or args.threads
        runs.insert(0, (before, baseline_tree(args.baseline), 5, threads))
    target = 0.6 if connection.vendor == "sqlite" else 0.5
    limit_cache = os.environ.get("RATELIMIT_CACHE_URL", "CSDL dùng chung")
    print(
        "granian 2 worker, wrk -t2 -c32; mỗi yêu cầu tra cứu từ một địa "
        f"chỉ khác (giới hạn "
        f"30/phút, bộ đệm {limit_cache}); mục tiêu tra cứu lần đầu >= {target} x /healthz"
    )
    limit = int(os.environ["CCHC_PUBLIC_RATE_PER_MINUTE"])
    for label, source, seed, threads in runs:
        f = serve_and_measure(
            codes,
            args.seconds,
            source=source,
            seed=seed,
            threads=threads,
            rounds=args.rounds,
        )
        middle, lowest, highest = f.cold_ratio()
        print(f"  {label}, {threads} luồng mỗi worker (tải máy {os.getloadavg()[0]:.1f}):")
        for n, (trivial, cold, trivial_ms, cold_ms, db_ms) in enumerate(f.rounds, 1):
            database = f" + CSDL {db_ms:.2f} ms" if db_ms else ""
            print(
                f"    lượt {n}: /healthz {trivial:,.0f} req/s ({trivial_ms:.2f} ms CPU); 1.000 mã "
                f"ngẫu nhiên, mỗi mã một lần (lần đầu) {cold:,.0f} req/s ({cold_ms:.2f} ms CPU"
                f"{database}) = {cold / trivial:.2f} x"
            )
        print(
            f"    tra cứu lần đầu / /healthz: trung vị {middle:.2f} x ({lowest:.2f}–{highest:.2f}) "
            f"qua {len(f.rounds)} lượt; CPU máy chủ mỗi yêu cầu: trung vị "
            f"{f.cold_cpu_ratio():.2f} x"
        )
        trivial, hot = f.rate["trivial"], f.rate["hot"]
        cpu = f.cpu_ms
        print(
            f"    một mã lặp lại {hot:,.0f} req/s = {hot / trivial:.2f} x /healthz đo ngay sau "
            f"({trivial:,.0f} req/s); CPU {cpu['hot']:.2f} ms = "
            f"{cpu['trivial'] / cpu['hot']:.2f} x"
        )
        accepted, refused, other = f.limit
        print(
            f"    giới hạn, một địa chỉ trong 10 s qua 2 worker: nhận {accepted} (giới hạn "
            f"{limit}/phút), từ chối {refused} (429), khác {other}"
        )
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
