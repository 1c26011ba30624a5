"""WSGI entry point (granian --interface wsgi config.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django_application = get_wsgi_application()

# The public look-up of a visitor without an account skips middleware that does nothing for it.
from cchc.portal.lean_wsgi import wrap  # noqa: E402  (needs the settings loaded above)

application = wrap(django_application)
