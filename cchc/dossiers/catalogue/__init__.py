"""The unit's procedure catalogue as plain data: the seed, its checks, and the XLSX exchange.

One record is a dict describing one *version* of a published procedure (thủ tục hành chính),
in the shape of ``data/procedures.json``; the Django model maps it field for field, and a
dossier keeps the version in force on its acceptance date (domain.md §10 rule 1). Everything
the procedure page must publish is here (Decision 63/2010 Art. 8(2) parts, domain.md §7), plus
the clock settings that Decree 118/2025 left open (domain-2025.md §3.3).

Values that domain.md marks as belief [B] or unknown are listed by field name in
``unconfirmed``; the staff page shows them as "cần xác nhận" until the school checks them
against the province's decision publishing its procedures.

- :mod:`.schema`: the fields (those of the Procedure model), their headers and kinds;
- :mod:`.validation`: the checks of one record, as Vietnamese messages;
- :mod:`.seed`: the packaged catalogue;
- :mod:`.xlsx`: the spreadsheet staff edit, out and back in.

Pure: no Django import, only the standard library, openpyxl and cchc.core.text.
"""

from cchc.dossiers.catalogue.schema import (
    CHANNELS,
    FIELDS,
    LABELS,
    MAX_LENGTHS,
    MAX_TIME_LIMIT,
    MODEL_ONLY_FIELDS,
    ONLINE_LEVELS,
    STEPS,
    SUPPLEMENT_RULES,
    UNITS,
    CatalogueError,
    RowProblem,
    search_key,
)
from cchc.dossiers.catalogue.seed import load_seed
from cchc.dossiers.catalogue.validation import validate
from cchc.dossiers.catalogue.xlsx import export_xlsx, import_xlsx

__all__ = [
    "CHANNELS",
    "FIELDS",
    "LABELS",
    "MAX_LENGTHS",
    "MAX_TIME_LIMIT",
    "MODEL_ONLY_FIELDS",
    "ONLINE_LEVELS",
    "STEPS",
    "SUPPLEMENT_RULES",
    "UNITS",
    "CatalogueError",
    "RowProblem",
    "export_xlsx",
    "import_xlsx",
    "load_seed",
    "search_key",
    "validate",
]
