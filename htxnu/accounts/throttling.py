"""Sign-in throttling, on top of django-axes.

Two locks, each with its own limit and length:

- **This device**: AXES_FAILURE_LIMIT wrong passwords for one username from one client
  address lock that pair for AXES_COOLOFF_MINUTES. The client address is
  core.clients.client_address (AXES_CLIENT_IP_CALLABLE): behind the TLS proxy, the
  address the proxy saw, not the proxy's own. Without this, every user behind the proxy
  shares one address and anyone could lock out anyone.
- **The account**: AXES_ACCOUNT_FAILURE_LIMIT wrong passwords for one username from any
  addresses lock the username for a short time (AXES_ACCOUNT_COOLOFF_MINUTES), so guessing
  from many addresses is slowed, while someone who knows a colleague's username can
  only keep them out for minutes. The page says so, so the owner learns that someone tried.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

# settings.AXES_LOCKOUT_PARAMETERS lists the device pair first, the username second.
DEVICE, ACCOUNT = "device", "account"


class SignInThrottle(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        device, account = self.get_user_attempts(request, credentials)
        device_failures = sum(device.values_list("failures_since_start", flat=True))
        if device_failures >= settings.AXES_FAILURE_LIMIT:
            request.htxnu_lock = DEVICE
            return device_failures
        since = timezone.now() - settings.AXES_ACCOUNT_COOLOFF
        account_failures = sum(account.filter(attempt_time__gte=since).values_list("failures_since_start", flat=True))
        if account_failures >= settings.AXES_ACCOUNT_FAILURE_LIMIT:
            request.htxnu_lock = ACCOUNT
            return settings.AXES_FAILURE_LIMIT  # what axes compares with: locked
        return device_failures


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    kind = getattr(request, "htxnu_lock", DEVICE)
    cooloff = settings.AXES_ACCOUNT_COOLOFF if kind == ACCOUNT else settings.AXES_DEVICE_COOLOFF
    context = {
        "kind": kind,
        "minutes": int(cooloff.total_seconds() // 60),
        "username": get_client_username(request, credentials) or "",
    }
    return render(request, "accounts/locked.html", context, status=429)
