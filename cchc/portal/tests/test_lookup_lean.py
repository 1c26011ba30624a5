"""The public look-up's lean path (issue 11 item 2): the shorter middleware chain answers exactly
as the full one, two statements per look-up with the shared (database) rate limit, and a change
shows on the very next request.

Requests go through the WSGI applications themselves (Django's test client always builds the
full chain), with the database cache's rate limit as in production."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from unittest import mock

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from cchc.core import cache as cache_module
from cchc.core.timezones import VN
from cchc.dossiers import procedures, services
from cchc.portal import lean_wsgi, lookup_page

DB_LIMIT = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "cchc.core.cache.DatabaseCache", "LOCATION": "cchc_test_lookup_rl"},
}


@contextmanager
def _in_this_transaction() -> Iterator[None]:
    """The handlers would close the test's connection at each request's end (as the client
    does, they are kept from it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _call(app, path: str, *, post: str = "", cookie: str = "", client: str = "10.1.2.3"):
    environ = {
        "REQUEST_METHOD": "POST" if post else "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": client,
        "wsgi.input": io.BytesIO(post.encode()),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "SCRIPT_NAME": "",
    }
    if post:
        environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        environ["CONTENT_LENGTH"] = str(len(post.encode()))
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    answer: dict = {}

    def start_response(status: str, headers: list) -> None:
        answer["status"] = int(status.split()[0])
        answer["headers"] = headers

    answer["body"] = b"".join(app(environ, start_response)).decode()
    return answer


def _headers(answer: dict) -> dict[str, object]:
    """Headers by name; the CSP's directives as a set (django-csp writes them in any order).
    Vary is left out: the full chain adds "Cookie" whenever a page looked at the (empty)
    session, which the lean chain has none of; every answer here is no-store anyway."""
    out: dict[str, object] = {}
    for name, value in answer["headers"]:
        if name == "Vary":
            continue
        out[name.lower()] = (
            frozenset(value.split("; ")) if name == "Content-Security-Policy" else value
        )
    return out


@pytest.fixture
def dossier(clerk, school):
    transfer = next(
        p
        for p in procedures.procedure_seed_defaults(actor=clerk.user, unit=school)
        if p.name.startswith("Chuyển trường")
    )
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 3, 2, 9, tzinfo=VN)):
        return services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678"},
            provided_documents=[d["name"] for d in transfer.documents],
        )


@pytest.fixture
def apps(settings):
    settings.CACHES = DB_LIMIT
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = 100
    call_command("createcachetable", verbosity=0)
    full = WSGIHandler()
    with _in_this_transaction():
        yield full, lean_wsgi.wrap(full)


@pytest.mark.django_db
def test_the_lean_chain_answers_as_the_full_one(apps, dossier) -> None:
    full, app = apps
    cases = [
        (f"/tra-cuu/{dossier.code}/", ""),  # the receipt's QR code
        ("/tra-cuu/", f"code={dossier.code.lower()}&phone_last4=0912+345+678"),
        ("/tra-cuu/", f"code={dossier.code}&phone_last4=9999"),  # digits that do not match
        ("/tra-cuu/", f"code={dossier.code}&phone_last4=12"),  # 422
        ("/tra-cuu/KHONG-CO/", ""),  # 404
        ("/tra-cuu/", "code=A%00B"),  # 400: a control character
        ("/tra-cuu/", ""),  # the empty form
    ]
    for n, (path, post) in enumerate(cases):
        lean = _call(app, path, post=post, client=f"10.0.0.{n}")
        whole = _call(full, path, post=post, client=f"10.0.1.{n}")
        assert lean["status"] == whole["status"], path
        assert _headers(lean) == _headers(whole), path
        assert lean["body"] == whole["body"], path
    page = _call(app, f"/tra-cuu/{dossier.code}/")
    assert "N*** V*** An" in page["body"]
    assert ("Cache-Control", "no-store, private") in page["headers"]
    assert "Cookie" in dict(page["headers"])["Vary"]  # the layout depends on the session


def test_only_a_look_up_without_visitor_state_takes_the_lean_chain(monkeypatch) -> None:
    taken: list[str] = []
    monkeypatch.setattr(
        lean_wsgi.LeanWSGIHandler, "__call__", lambda self, environ, sr: taken.append("lean")
    )
    app = lean_wsgi.wrap(lambda environ, sr: taken.append("full"))

    for path, cookie in [
        ("/tra-cuu/X/", ""),
        ("/tra-cuu/", "csrftoken=abc"),
        ("/tra-cuu/X/", "sessionid=abc"),  # a signed-in officer: the full layout
        ("/tra-cuu/", "csrftoken=a; messages=b"),  # a message waiting to be shown
        ("/thu-tuc/", ""),
        ("/healthz", ""),
    ]:
        app({"PATH_INFO": path, "HTTP_COOKIE": cookie}, None)

    assert taken == ["lean", "lean", "full", "full", "full", "full"]
    assert "django.contrib.sessions.middleware.SessionMiddleware" not in [
        type(m).__module__ + "." + type(m).__name__ for m in _chain(lean_wsgi.LeanWSGIHandler())
    ]


def _chain(handler: WSGIHandler) -> list[object]:
    """The middleware instances of a handler's chain, outermost first."""
    found, link = [], handler._middleware_chain
    while link is not None:
        instance = getattr(link, "__self__", None) or getattr(link, "__wrapped__", None)
        if instance is None:
            break
        found.append(instance)
        link = getattr(instance, "get_response", None)
    return found


@pytest.mark.django_db
def test_a_look_up_is_one_round_trip_with_the_shared_limit(apps, dossier, monkeypatch) -> None:
    """PostgreSQL: the limit's upsert and the select in one statement; SQLite (no INSERT inside
    WITH, and no trip to make) the two in turn."""
    monkeypatch.setattr(cache_module, "CULL_EVERY", 10**9)  # no sweep in this count
    _, app = apps
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 3, 3, 9, tzinfo=VN)):
        services.dossier_request_supplement(
            actor=dossier.received_by, dossier=dossier, items=["Học bạ"], reason="Thiếu học bạ"
        )
    _call(app, f"/tra-cuu/{dossier.code}/")  # the first request of a process reads more
    together = ["WITH"] if connection.vendor == "postgresql" else ["INSERT", "SELECT"]

    for post in ("", "code=KHONG-CO", f"code={dossier.code}&phone_last4=0000"):
        with CaptureQueriesContext(connection) as queries:
            answer = _call(app, "/tra-cuu/" if post else f"/tra-cuu/{dossier.code}/", post=post)
        statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
        assert statements == together, (answer["status"], statements)
    with CaptureQueriesContext(connection) as queries:  # a form with errors is only counted
        answer = _call(app, "/tra-cuu/", post=f"code={dossier.code}&phone_last4=12")
    assert answer["status"] == 422
    assert [q["sql"].split()[0].upper() for q in queries.captured_queries] == ["INSERT"]
    # With the right digits the supplement request is read too: the one extra statement.
    with CaptureQueriesContext(connection) as queries:
        answer = _call(app, "/tra-cuu/", post=f"code={dossier.code}&phone_last4=5678")
    assert len(queries.captured_queries) == len(together) + 1
    assert "Thiếu học bạ" in answer["body"]


@pytest.mark.django_db
def test_a_refused_look_up_shows_nothing_of_the_dossier(apps, dossier, settings) -> None:
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = 2
    _, app = apps
    answers = [_call(app, f"/tra-cuu/{dossier.code}/", client="10.7.7.7") for _ in range(3)]

    assert [a["status"] for a in answers] == [200, 200, 429]
    assert dossier.code not in answers[2]["body"]
    assert "Quá nhiều yêu cầu" in answers[2]["body"]
    assert dict(answers[2]["headers"])["Retry-After"]


@pytest.mark.django_db
def test_a_change_shows_on_the_next_look_up(apps, dossier, principal) -> None:
    _, app = apps
    before = _call(app, "/tra-cuu/", post=f"code={dossier.code}&phone_last4=5678")["body"]
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 3, 3, 9, tzinfo=VN)):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="Thiếu học bạ"
        )
    after = _call(app, "/tra-cuu/", post=f"code={dossier.code}&phone_last4=5678")["body"]

    assert "Cần bổ sung" not in before
    assert "Cần bổ sung" in after
    assert "Thiếu học bạ" in after
    steps = re.findall(r"<li><strong>([\d/: ]+)</strong> — ([^<:]+)", after)
    assert steps == [
        ("02/03/2026 09:00", "Được tiếp nhận"),
        ("03/03/2026 09:00", "Yêu cầu bổ sung giấy tờ"),
    ]


def test_dates_are_written_as_everywhere_else() -> None:
    from cchc.core.templatetags.vn import format_date

    for instant in (datetime(2026, 3, 2, 1, 5, tzinfo=VN), datetime(2026, 12, 31, 23, 59)):
        aware = instant if instant.tzinfo else instant.replace(tzinfo=VN)
        assert lookup_page._when(aware) == format_date(aware)
    assert lookup_page._when(None) == ""


def test_one_language_is_set_outright_and_two_are_negotiated(settings) -> None:
    full = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        lean_wsgi.LOCALE,
    ]
    assert lean_wsgi.lean_middleware(full) == [
        "django.middleware.security.SecurityMiddleware",
        lean_wsgi.ONE_LANGUAGE,
    ]
    settings.LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
    assert lean_wsgi.lean_middleware(full)[-1] == lean_wsgi.LOCALE


# The QR code's look-up beside Django's handler (`cchc.portal.lookup_wsgi`).


def _served_by(monkeypatch) -> list[str]:
    """Which path answered each request: "chain" (Django's lean handler) or "wsgi" (beside it)."""
    served: list[str] = []
    original = lean_wsgi.LeanWSGIHandler.__call__

    def counted(self, environ, start_response):
        served.append("chain")
        return original(self, environ, start_response)

    monkeypatch.setattr(lean_wsgi.LeanWSGIHandler, "__call__", counted)
    return served


def _with(environ_extra: dict[str, str]):
    """_call with more environ keys (a proxy's header)."""

    def call(app, path: str, **kwargs):
        def app_with(environ, start_response):
            environ.update(environ_extra)
            return app(environ, start_response)

        return _call(app_with, path, **kwargs)

    return call


@pytest.mark.django_db
def test_the_qr_look_up_answers_as_the_chain_byte_for_byte(apps, dossier, settings) -> None:
    """Status, every header in its order, and the page: against the lean chain alone, over
    plain http and behind an https proxy with HSTS (the one header that depends on the
    request), and after a setting that shapes the headers changes."""
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 3, 3, 9, tzinfo=VN)):
        services.dossier_request_supplement(
            actor=dossier.received_by, dossier=dossier, items=["Học bạ"], reason="Thiếu học bạ"
        )
    settings.SECURE_HSTS_SECONDS = 3600
    https = _with({"HTTP_X_FORWARDED_PROTO": "https"})
    for n, call in enumerate([_call, https, _call, https]):
        if n in (0, 2):  # Django's middleware reads its settings when a handler is built
            if n == 2:
                settings.SECURE_REFERRER_POLICY = "no-referrer"
            app, chain = lean_wsgi.wrap(WSGIHandler()), lean_wsgi.LeanWSGIHandler()
        fast = call(app, f"/tra-cuu/{dossier.code.lower()}/", client=f"10.2.0.{n}")
        reference = call(chain, f"/tra-cuu/{dossier.code.lower()}/", client=f"10.2.1.{n}")
        assert fast["status"] == reference["status"] == 200
        assert fast["headers"] == reference["headers"]
        assert fast["body"] == reference["body"]
        names = dict(fast["headers"])
        assert ("Strict-Transport-Security" in names) == (call is https)
        assert names["Referrer-Policy"] == ("no-referrer" if n >= 2 else "same-origin")
        assert names["Content-Length"] == str(len(fast["body"].encode()))
    assert dossier.code in fast["body"]
    assert "N*** V*** An" in fast["body"]


@pytest.mark.django_db
def test_only_a_found_qr_code_is_answered_beside_the_chain(apps, dossier, monkeypatch) -> None:
    _, app = apps
    served = _served_by(monkeypatch)
    cases = [
        (f"/tra-cuu/{dossier.code}/", "", 200, []),  # the receipt's QR code
        ("/tra-cuu/KHONG-CO/", "", 404, ["chain"]),  # unknown: the chain's page and log line
        (f"/tra-cuu/{dossier.code}%20/", "", 404, ["chain"]),  # not the QR code's shape
        ("/tra-cuu/", f"code={dossier.code}", 200, ["chain"]),  # the form
        ("/tra-cuu/", "", 200, ["chain"]),
    ]
    for path, post, status, by in cases:
        served.clear()
        assert _call(app, path, post=post)["status"] == status, path
        assert served == by, path


@pytest.mark.django_db
def test_a_look_up_is_counted_once_whichever_path_answers(apps, dossier, settings) -> None:
    """The limit of 3: an unknown code is counted beside the chain, then answered by it."""
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = 3
    _, app = apps
    paths = ["/tra-cuu/KHONG-CO/", f"/tra-cuu/{dossier.code}/", "/tra-cuu/KHONG-CO-2/"]
    answers = [_call(app, path, client="10.3.3.3") for path in [*paths, paths[1]]]

    assert [a["status"] for a in answers] == [404, 200, 404, 429]
    assert dossier.code not in answers[3]["body"]


@pytest.mark.django_db
def test_requests_the_chain_would_refuse_or_redirect_go_to_it(apps, dossier, settings) -> None:
    _, app = apps
    settings.ALLOWED_HOSTS = ["cchc.example.vn"]
    assert _call(app, f"/tra-cuu/{dossier.code}/")["status"] == 400  # host "testserver"
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = True
    app = lean_wsgi.wrap(WSGIHandler())  # the middleware reads it when the chain is built
    moved = _call(app, f"/tra-cuu/{dossier.code}/")
    assert moved["status"] == 301
    assert dict(moved["headers"])["Location"] == f"https://testserver/tra-cuu/{dossier.code}/"


class _RequestId:
    """A middleware whose header differs on every answer (as a per-request nonce would)."""

    count = 0

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        _RequestId.count += 1
        response["X-Request-Id"] = str(_RequestId.count)
        return response


@pytest.mark.django_db
def test_a_header_that_changes_per_answer_sends_every_look_up_to_the_chain(
    settings, dossier, monkeypatch
) -> None:
    settings.CACHES = DB_LIMIT
    call_command("createcachetable", verbosity=0)
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}._RequestId"]
    app = lean_wsgi.wrap(WSGIHandler())
    served = _served_by(monkeypatch)
    with _in_this_transaction():
        answers = [_call(app, f"/tra-cuu/{dossier.code}/", client="10.4.4.4") for _ in range(2)]

    assert [a["status"] for a in answers] == [200, 200]
    assert served == ["chain", "chain"]
    ids = [dict(a["headers"])["X-Request-Id"] for a in answers]
    assert ids[0] != ids[1]


@pytest.mark.django_db
def test_a_site_of_two_languages_negotiates_every_look_up_in_the_chain(
    apps, dossier, settings, monkeypatch
) -> None:
    settings.LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
    _, app = apps
    served = _served_by(monkeypatch)

    assert _call(app, f"/tra-cuu/{dossier.code}/")["status"] == 200
    assert served == ["chain"]
