"""First-run benchmark (issue 9): an empty database to the landing page, in a real browser.

Usage (from the repository root, after `make install`; needs Debian's chromium):
    .venv/bin/python bench/first_run.py

It makes a temporary SQLite database, times `migrate`, `createcachetable` and `collectstatic`
(the install), starts granian (2 WSGI workers) on 127.0.0.1, then drives Chromium through the
path a principal takes (tests/first_run_flow.py, the same path the browser test checks):
set-up page → plan import of cchc/plans/demo_data/ke-hoach-cchc-2026.txt → review → save →
landing page. It prints the seconds of each step and the total (target: ≤ 60 s of machine
time, so that a person's 10 minutes are all reading and clicking), and how many of the plan's
targets and tasks have an owner. It asserts nothing.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="cchc-first-run-"))
    env = os.environ.copy()
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "CCHC_VAR_DIR": str(tmp),
            "SECRET_KEY": "bench-first-run-" + "x" * 40,
            "LOG_LEVEL": "WARNING",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        }
    )
    env.pop("DATABASE_URL", None)
    cchc = str(Path(sys.executable).parent / "cchc")
    steps: list[tuple[str, float]] = []
    start = time.perf_counter()
    for args in (["migrate", "-v0"], ["createcachetable"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([cchc, *args], cwd=ROOT, env=env, check=True)  # noqa: S603
    steps.append(("cài đặt CSDL (migrate, cache, static)", time.perf_counter() - start))

    port = free_port()
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
            "2",
            "--log-level",
            "warning",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        sys.path.insert(0, str(ROOT))
        from playwright.sync_api import sync_playwright

        from tests.first_run_flow import first_run

        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
            last = time.perf_counter()
            browser_start = last

            def mark(step: str) -> None:
                nonlocal last
                now = time.perf_counter()
                steps.append((step, now - last))
                last = now

            first_run(page, f"http://127.0.0.1:{port}", mark=mark)
            browser_total = time.perf_counter() - browser_start
            targets = page.locator("#landing-targets tbody tr").count()
            unowned = page.locator("#landing-targets td.owner", has_text="Chưa phân công").count()
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)

    tasks = subprocess.run(  # noqa: S603
        [
            cchc,
            "shell",
            "-v",
            "0",
            "-c",
            "from cchc.plans.models import Task; q = Task.objects.filter(parent__isnull=False); "
            "print(q.count(), q.filter(owner__isnull=True).count(), "
            "q.values('owner').distinct().count())",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for step, seconds in steps:
        print(f"{step:<42} {seconds:6.2f} s")
    print(f"{'đường đi trong trình duyệt':<42} {browser_total:6.2f} s")
    print(f"{'tổng (cài đặt + trình duyệt)':<42} {steps[0][1] + browser_total:6.2f} s")
    print(
        f"mục tiêu trên trang tổng quan: {targets}, chưa có người phụ trách: {unowned}; "
        f"nhiệm vụ: {tasks[0]}, chưa có người chủ trì: {tasks[1]}, số người chủ trì: {tasks[2]}"
    )


if __name__ == "__main__":
    main()
