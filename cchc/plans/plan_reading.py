"""Old path of :mod:`cchc.plans.parsing.reading`, kept as an alias of that module.

New code imports from :mod:`cchc.plans.parsing`. The module object itself is aliased, not its
names copied, so that setting an attribute here (the tests lower ``MAX_UNPACKED_BYTES`` with
``monkeypatch.setattr(plan_reading, …)``) changes what the DOCX reader actually uses.
"""

import sys

from cchc.plans.parsing import reading

sys.modules[__name__] = reading
