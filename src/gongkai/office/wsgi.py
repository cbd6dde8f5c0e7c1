"""The WSGI application that ``gongkai serve`` runs under gunicorn (any WSGI server can run it).

Static files are served by WhiteNoise from ``STATIC_ROOT``, which ``gongkai serve`` fills with
``collectstatic`` before it starts.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from whitenoise import WhiteNoise

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.office.settings")
application = WhiteNoise(get_wsgi_application(), root=settings.STATIC_ROOT, prefix=settings.STATIC_URL)
