"""WSGI entry point for gunicorn: `gunicorn reta.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reta.settings")
application = get_wsgi_application()
