"""Django's JSON serialization format, without losing microseconds.

DjangoJSONEncoder cuts datetimes to milliseconds; the audit chain hashes each event's time to the
microsecond, so a dump/load with the stock "json" format breaks every chain. Registered as the
serialization format "cchcjson" for moving a database between engines (restore.py).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers.json import (
    Deserializer,  # noqa: F401 - part of the format module
    DjangoJSONEncoder,
)
from django.core.serializers.json import Serializer as JsonSerializer

FORMAT = "cchcjson"


class PreciseEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JsonSerializer):
    def _init_options(self) -> None:
        self.options.setdefault("cls", PreciseEncoder)
        super()._init_options()  # type: ignore[misc]  # Django's private hook, not in the stubs


def register() -> None:
    from django.core import serializers

    serializers.register_serializer(FORMAT, "cchc.backups.precise_json")
