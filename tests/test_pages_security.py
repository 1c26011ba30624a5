"""What every rendered page promises (issue 10 items 11, 12, 13): menus lead only to pages the
user may open, no page references an outside host (no CDN), a strict Content-Security-Policy,
and staff pages and personal-data downloads are never cached.

The pages are those of the demo (seed_base + every app's demo data), for each demo role.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from cchc.accounts.models import User
from cchc.accounts.permissions import roles_of
from cchc.organizations import demo
from cchc.organizations.models import Unit


class _Links(HTMLParser):
    """Every URL a page loads or links to, and which of them sit in the staff menu."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.nav: list[str] = []
        self.anchors: list[str] = []
        self.inline_scripts = 0
        self._in_nav = 0
        self._script_has_src = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "nav" and "main-nav" in (values.get("class") or ""):
            self._in_nav += 1
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            if values.get(name):
                self.urls.append(values[name] or "")
                if tag == "a" and name == "href":
                    self.anchors.append(values[name] or "")
                    if self._in_nav:
                        self.nav.append(values[name] or "")
        if tag == "script":
            kind = values.get("type") or "text/javascript"
            self._script_has_src = bool(values.get("src")) or "json" in kind
        if any(name.startswith("on") for name in values) or values.get("style"):
            self.inline_scripts += 1  # event handlers and style attributes break the CSP too

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._in_nav:
            self._in_nav -= 1

    def handle_data(self, data: str) -> None:
        if not self._script_has_src and data.strip():
            self.inline_scripts += 1
        self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", data)

    def close(self) -> None:
        super().close()
        self._script_has_src = True


def _parse(html: str) -> _Links:
    links = _Links()
    links.feed(html)
    return links


def _outside(urls: list[str]) -> list[str]:
    """URLs that name a host (or a scheme other than our own pages' and data: images)."""
    bad = []
    for url in urls:
        parts = urlsplit(url.strip())
        if parts.scheme in ("", "data", "mailto", "tel") and not parts.netloc:
            continue
        if parts.netloc in ("testserver",):
            continue
        bad.append(url)
    return bad


def _check_page(response, url: str) -> _Links:
    html = response.content.decode()
    links = _parse(html)
    policy = response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, url
    assert "unsafe-inline" not in policy, url
    assert _outside(links.urls) == [], url
    assert links.inline_scripts == 0, url
    return links


@pytest.fixture(scope="module")
def demo_logins(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[list[User]]:
    """The demo, seeded once for this module's tests (they only read it), in a transaction that
    is rolled back after the last of them, as Django's setUpTestData does: each test still runs
    in a savepoint of its own inside it, so what one test writes the next never sees."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _seed_demo_people()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _seed_demo_people() -> list[User]:
    logins = demo.seed_base()
    demo.seed_other_apps(dossiers=0)
    # One person per distinct set of roles and kind of unit: the menus differ only by those.
    seen, people = set(), []
    for username, *_ in logins:
        user = User.objects.get(username=username)
        staff = getattr(user, "staff", None)
        shape = (frozenset(roles_of(user)), staff.unit.kind if staff else "", user.is_superuser)
        if shape not in seen:
            seen.add(shape)
            people.append(user)
    return people


@pytest.mark.django_db
def test_every_menu_link_of_every_demo_role_opens(demo_logins) -> None:
    failures, checked = [], 0
    for user in demo_logins:
        client = Client()
        client.force_login(user)
        landing = client.get(reverse("core:home"), follow=True)
        assert landing.status_code == 200, user.username
        links = _check_page(landing, f"home of {user.username}")
        assert landing["Cache-Control"].startswith("no-store"), user.username
        assert links.nav, f"{user.username} has no menu"
        # The menu, every staff link of the landing page (the unit page) and the staff links of
        # each page the menu opens (its buttons: "Sổ theo dõi", "Tiếp nhận", ...).
        targets = set(links.nav) | {u for u in links.anchors if u.startswith("/quan-ly/")}
        seen: set[str] = set()
        while targets:
            url = targets.pop()
            seen.add(url)
            response = client.get(url, follow=True)  # "/quan-ly/" redirects to one's unit
            checked += 1
            if response.status_code != 200:
                failures.append(
                    f"{user.username} ({sorted(roles_of(user))}): {url} -> {response.status_code}"
                )
            elif response["Content-Type"].startswith("text/html"):
                page = _check_page(response, url)
                if url in links.nav:
                    targets |= {
                        u
                        for u in page.anchors
                        if u.startswith("/quan-ly/") and "?" not in u and "/giay/" not in u
                    } - seen

    assert failures == [], "\n".join(failures)
    assert checked > 20


@pytest.mark.django_db
def test_public_pages_and_api_docs_load_nothing_from_outside(demo_logins) -> None:
    school = Unit.objects.filter(kind="school").first()
    client = Client()
    for url in [
        "/",
        "/thu-tuc/",
        "/tra-cuu/",
        f"/don-vi/{school.code}/",
        "/tai-khoan/dang-nhap/",
        "/tai-khoan/quen-mat-khau/",
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        _check_page(response, url)
    staff = Client()
    staff.force_login(demo_logins[0])
    docs = staff.get("/api/v1/docs")

    assert docs.status_code == 200
    assert "cdn." not in docs.content.decode()
    assert _outside(_parse(docs.content.decode()).urls) == []
    assert "/static/ninja/swagger-ui-bundle.js" in docs.content.decode()


@pytest.mark.django_db
def test_no_store_on_staff_pages_and_downloads_not_on_public_pages(demo_logins) -> None:
    principal = next(u for u in demo_logins if "principal" in roles_of(u))
    client = Client()
    client.force_login(principal)

    book = client.get(reverse("dossiers:book") + "?xuat=xlsx")
    public = Client().get("/thu-tuc/")
    lookup = Client().get("/tra-cuu/")

    assert book.status_code == 200
    assert "no-store" in book["Cache-Control"]
    assert "no-store" not in public.get("Cache-Control", "")
    assert "no-store" in lookup["Cache-Control"]
    assert "Content-Security-Policy" in public
