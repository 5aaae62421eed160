"""Public pages are cached whole for visitors and dropped when what they show changes.

One version number in the cache names every cached public page; any write the public
side shows (publish, withdraw, a photo, a published post, a registry change seen
through a publication) bumps it after its transaction commits, so the next visitor gets
a fresh page. Coarse, but a change is rare next to reads, and nothing stale can stay.
"""

from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "portal:version"
# Writes through the portal purge at once; a registry edit of a published cooperative
# (a new name, a dissolution) is not seen by the portal's services and shows within this.
TIMEOUT = 10 * 60


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, None)
        value = cache.get(VERSION_KEY, 1)
    return value


def purge() -> None:
    """Drop every cached public page once the current transaction commits."""
    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, None)
    transaction.on_commit(bump)


def cached_page(view):
    """Serve a visitor's GET from the cache; signed-in users (who may preview) bypass it."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = f"portal:page:{version()}:{get_language()}:{request.get_full_path()}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                cache.set(key, response, TIMEOUT)
        patch_cache_control(response, public=True, max_age=300)
        # The language comes from a cookie: a shared cache must not give one visitor's
        # language to another.
        patch_vary_headers(response, ["Cookie"])
        return response
    return wrapper
