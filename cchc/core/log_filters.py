"""Logging filters for the server log (config/settings/base.py LOGGING).

Django logs every refused request ("Forbidden (Permission denied): /path") at warning with the
exception's traceback. A 403 is an ordinary answer here (every view checks permission and a
commune officer meets them daily), so the traceback only buries real errors in the log: the line
stays, the traceback goes. Other records, 500s above all, keep theirs.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied


class PermissionDeniedWithoutTraceback(logging.Filter):
    """Drop the traceback of a record about a PermissionDenied; keep the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc_info = record.exc_info
        if exc_info and isinstance(exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
