"""WSGI entry point for gunicorn (`lape serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lape.settings")
application = get_wsgi_application()
