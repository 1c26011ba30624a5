"""Behind nginx: the client's own address keys the public rate limit and log-in lock-outs."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from cchc.core.ratelimit import client_address, client_ip
from tests.fixtures import PASSWORD

LOOKUP = "/tra-cuu/"
LOGIN = "/tai-khoan/dang-nhap/"
PROXY = "127.0.0.1"
CITIZEN_A = "203.0.113.10"
CITIZEN_B = "203.0.113.20"


def _request(remote: str = PROXY, **headers: str):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def _behind_proxy(citizen: str) -> Client:
    """A visitor as nginx forwards them (`$proxy_add_x_forwarded_for`, `$remote_addr`)."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=citizen, HTTP_X_REAL_IP=citizen)


def _lookups(client: Client, times: int) -> list[int]:
    return [client.get(LOOKUP, {"code": "KHONG-CO"}).status_code for _ in range(times)]


# ---------------------------------------------------------------- resolving the address


def test_without_trusted_proxies_forwarded_headers_are_ignored(settings) -> None:
    settings.TRUSTED_PROXIES = []

    request = _request(HTTP_X_FORWARDED_FOR=CITIZEN_A, HTTP_X_REAL_IP=CITIZEN_B)

    assert client_address(request) == PROXY


def test_trusted_proxy_gives_the_right_most_untrusted_address(settings) -> None:
    settings.TRUSTED_PROXIES = [PROXY, "10.0.0.0/8"]

    # The citizen forged the left-most entry; nginx appended their real address, then an inner
    # proxy (10.0.0.2) appended the outer one's.
    request = _request(HTTP_X_FORWARDED_FOR=f"198.51.100.99, {CITIZEN_A}, 10.0.0.2")

    assert client_address(request) == CITIZEN_A


def test_untrusted_remote_addr_cannot_forge_its_address(settings) -> None:
    settings.TRUSTED_PROXIES = [PROXY]

    request = _request("198.51.100.7", HTTP_X_FORWARDED_FOR=CITIZEN_A, HTTP_X_REAL_IP=CITIZEN_B)

    assert client_address(request) == "198.51.100.7"


def test_x_real_ip_is_the_fallback_then_remote_addr(settings) -> None:
    settings.TRUSTED_PROXIES = [PROXY]

    assert client_address(_request(HTTP_X_REAL_IP=CITIZEN_B)) == CITIZEN_B
    assert client_address(_request()) == PROXY


@pytest.mark.parametrize(
    "header",
    [
        "<script>alert(1)</script>",
        "unknown",
        "203.0.113.300",
        "a" * 5000,
        "rl:lookup:1.2.3.4:99",
        f"{CITIZEN_A}, not-an-address",
    ],
)
def test_garbage_headers_are_never_returned(settings, header) -> None:
    settings.TRUSTED_PROXIES = [PROXY]

    request = _request(HTTP_X_FORWARDED_FOR=header, HTTP_X_REAL_IP=header)

    assert client_address(request) == PROXY


def test_addresses_are_returned_in_canonical_form(settings) -> None:
    settings.TRUSTED_PROXIES = ["::1"]

    request = _request("::1", HTTP_X_FORWARDED_FOR=" 2001:DB8:0:0::1 ")

    assert client_address(request) == "2001:db8::1"


def test_ipv4_mapped_proxy_address_is_trusted(settings) -> None:
    settings.TRUSTED_PROXIES = [PROXY]

    request = _request("::ffff:127.0.0.1", HTTP_X_FORWARDED_FOR=CITIZEN_A)

    assert client_address(request) == CITIZEN_A


def test_missing_or_bad_remote_addr_has_no_ip(settings) -> None:
    settings.TRUSTED_PROXIES = [PROXY]

    request = _request("", HTTP_X_FORWARDED_FOR=CITIZEN_A)

    assert client_ip(request) is None
    assert client_address(request) == "unknown"


# ---------------------------------------------------------------- public rate limit


@pytest.mark.django_db
def test_without_trusted_proxies_everyone_behind_nginx_shares_a_bucket(settings, school) -> None:
    settings.TRUSTED_PROXIES = []
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = 2

    codes = _lookups(_behind_proxy(CITIZEN_A), 2) + _lookups(_behind_proxy(CITIZEN_B), 1)

    assert codes == [404, 404, 429]


@pytest.mark.django_db
def test_two_citizens_behind_the_proxy_have_separate_buckets(settings, school) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = 2

    first = _lookups(_behind_proxy(CITIZEN_A), 3)
    second = _lookups(_behind_proxy(CITIZEN_B), 2)

    assert first == [404, 404, 429]
    assert second == [404, 404]


@pytest.mark.django_db
def test_forged_header_from_untrusted_address_keeps_its_bucket(settings, school) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = 2

    codes = [
        Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        .get(LOOKUP, {"code": "KHONG-CO"})
        .status_code
        for i in range(3)
    ]

    assert codes == [404, 404, 429]


@pytest.mark.django_db
def test_garbage_header_values_do_not_open_new_buckets(settings, school) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = 2

    codes = [
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"rac-{i}", HTTP_X_REAL_IP=f"x{i}")
        .get(LOOKUP, {"code": "KHONG-CO"})
        .status_code
        for i in range(3)
    ]

    assert codes == [404, 404, 429]


# ---------------------------------------------------------------- log-in lock-outs (django-axes)


def _fail_login(client: Client, times: int) -> None:
    for _ in range(times):
        client.post(LOGIN, {"username": "hieutruong", "password": "sai"})


@pytest.mark.django_db
def test_lockout_is_per_real_client_behind_the_proxy(settings, principal) -> None:
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXIES = [PROXY]
    _fail_login(_behind_proxy(CITIZEN_A), settings.AXES_FAILURE_LIMIT)

    locked = _behind_proxy(CITIZEN_A).post(LOGIN, {"username": "hieutruong", "password": PASSWORD})
    other = _behind_proxy(CITIZEN_B).post(LOGIN, {"username": "hieutruong", "password": PASSWORD})

    assert locked.status_code == 403
    assert "tạm thời bị khóa" in locked.content.decode()
    assert other.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CITIZEN_A}


@pytest.mark.django_db
def test_forged_header_does_not_escape_a_lockout(settings, principal) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    attacker = "198.51.100.7"
    _fail_login(Client(REMOTE_ADDR=attacker), settings.AXES_FAILURE_LIMIT)

    response = Client(REMOTE_ADDR=attacker, HTTP_X_FORWARDED_FOR=CITIZEN_B).post(
        LOGIN, {"username": "hieutruong", "password": PASSWORD}
    )

    assert response.status_code == 403
