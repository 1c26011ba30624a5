"""How a dossier reaches the unit: the one coding of submission channels.

Decree 118/2025 Art. 15 (domain-2025.md 3.1) names three channels. The same codes are used by
the dossier (`Dossier.channel`), the procedure's accepted channels (`Procedure.channels`, the
catalogue), the way the result goes back (`ResultDelivery`, same codes), the forms, the API and
the exports. The national portal numbers them (KenhThucHien 1/2/3); those numbers are read only
where its spreadsheets come in (`PORTAL_CODES`, the provincial import).

Pure (no settings needed), so the catalogue reader can use it without Django set up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from django.db import models


class Channel(models.TextChoices):
    IN_PERSON = "in_person", "Trực tiếp"
    POST = "post", "Bưu chính"
    ONLINE = "online", "Trực tuyến"


# The national portal's KenhThucHien numbers, at the import boundary only.
PORTAL_CODES: Final[Mapping[str, Channel]] = {
    "1": Channel.IN_PERSON,
    "2": Channel.ONLINE,
    "3": Channel.POST,
}
# What a desk receives at the counter (an online dossier arrives through the public form).
COUNTER_CHANNELS: Final[tuple[Channel, ...]] = (Channel.IN_PERSON, Channel.POST)
