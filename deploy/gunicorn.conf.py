"""gunicorn settings for neuroinfo app servers: `gunicorn -c deploy/gunicorn.conf.py`.

Bind address and worker count come from GUNICORN_BIND and WEB_CONCURRENCY.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))  # about two per core
wsgi_app = "neuroinfo.wsgi:application"
accesslog = None  # the app logs one line per request itself
timeout = 30


def post_worker_init(worker) -> None:
    """Load the English pronouncing dictionary (about 1 s) before the first admin save."""
    from neuroinfo.readability import warm_up

    warm_up()
