"""The address a request comes from, for the limits that count per visitor: sign-in
throttling (accounts.throttling, through django-axes) and the portal's inquiries.

Without a proxy it is REMOTE_ADDR. Behind the TLS proxy (settings.BEHIND_TLS_PROXY),
REMOTE_ADDR is the proxy's, the same for every visitor, so a limit on it would limit
everyone together; the client's address is then the last entry of X-Forwarded-For,
which the proxy sets or appends (deploy/nginx.conf). Entries before it come from the
client and are not trusted, and without the setting the header is ignored: anyone can
send it."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")
