"""WSGI entry point for gunicorn app servers (stateless: any server may take any request)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehaven.settings")
application = get_wsgi_application()
