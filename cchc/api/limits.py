"""The public API's 429: the same wait in the JSON message as in its Retry-After header, the
seconds until the refusing sliding window frees a slot (`cchc.core.ratelimit.retry_after`), as
the public pages say it (`cchc.portal.views.too_many_requests`)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError

from cchc.core.ratelimit import retry_after


class TooManyRequests(HttpError):
    """Raised by a public operation whose rate limit refused `request` (`hit` returned False);
    the API's error handler adds `Retry-After: wait`."""

    def __init__(self, request: HttpRequest) -> None:
        self.wait = retry_after(request)
        super().__init__(429, f"Quá nhiều yêu cầu. Vui lòng thử lại sau {self.wait} giây.")
