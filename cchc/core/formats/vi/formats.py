"""Vietnamese date formats as the project writes them: dd/mm/yyyy, and dd/mm/yyyy HH:MM.

Django's own "vi" locale ("03:28 Ngày 01 tháng 12 năm 2026", "01-12-2026") wins over the
settings' DATE_FORMAT whenever a value is localised (the admin, `{{ value }}`, `|date` with no
argument), so the settings alone left the admin in a format the rest of the system never uses.
Listed first in FORMAT_MODULE_PATH, these names override Django's; the rest (separators, input
formats) still come from Django's "vi" module and the settings.
"""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
# The admin's date drill-down ("tháng 12 2026" / "1 tháng 12" in Django's module).
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"

# Typed dates: dd/mm/yyyy first (the admin's date boxes show and take it; Django's fallback read
# "01/12/2026" as 12 January, American order), ISO as well (what `<input type="date">` submits).
# A date widget of type="date" must keep its own format="%Y-%m-%d" (the browser needs ISO).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
# The admin's calendar pop-up starts its weeks on Monday, as Vietnamese calendars do.
FIRST_DAY_OF_WEEK = 1
