"""System checks `manage.py check --deploy` runs on a production configuration."""

import os

from django.conf import settings
from django.core.checks import Error, Tags, register

PER_PROCESS_CACHES = {"django.core.cache.backends.locmem.LocMemCache"}


def web_concurrency() -> int:
    """gunicorn's worker count, as deploy/gunicorn.conf.py reads it (4 by default)."""
    try:
        return int(os.environ.get("WEB_CONCURRENCY", "4"))
    except ValueError:
        return 4


@register(Tags.caches, deploy=True)
def shared_cache(app_configs=None, **kwargs) -> list[Error]:
    """A per-process cache with several workers serves old pages after a save: each
    worker keeps its own copy, and only the one that handled the save sees the change
    (and the feedback limit is counted once per worker)."""
    workers = web_concurrency()
    if settings.DEBUG or workers <= 1:
        return []
    return [
        Error(
            f"The {alias!r} cache ({config['BACKEND']}) is kept per process, and "
            f"WEB_CONCURRENCY={workers} gunicorn workers would each keep their own "
            "copy: pages stay stale after an admin save on every worker but one.",
            hint="Set CACHE_URL=redis://... (or leave it unset for the database "
            "cache, db://neuroinfo_cache), or run one worker (WEB_CONCURRENCY=1).",
            id="neuroinfo.E020",
        )
        for alias, config in settings.CACHES.items()
        if config["BACKEND"] in PER_PROCESS_CACHES
    ]
