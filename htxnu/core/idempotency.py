"""A create form sent twice creates one record.

Double-clicking "Save", sending again after a slow answer, or the browser's "resend"
created two identical cooperatives or events (issue #14), inflating every count. Every
create form renders a one-time token (`{% form_token %}` from the htx tags, kept when
the form comes back with errors); its view runs the service through `create_once`:

- the first sending stores (user, token) and creates the record in one transaction;
- a second sending meets the stored token (a concurrent one waits on its unique key
  until the first commits) and creates nothing: the view sends the user to the
  record the first sending created, saying so (`sent_twice`).

A form that failed validation stored nothing, so the corrected form, with the same
token, is a first sending. Posts without a token (the API, scripts) create as before."""

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import SentForm

FIELD = "form_token"


def token_of(request) -> uuid.UUID | None:
    """The token the form was sent with (None: none, or not a token)."""
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def form_token(request) -> str:
    """The token to render: the one sent back (a form shown again with its errors), else a new one."""
    sent = token_of(request) if request is not None and request.method == "POST" else None
    return str(sent or uuid.uuid4())


def create_once(request, create: Callable, url_of: Callable) -> tuple[object | None, str | None]:
    """(record, None) when this form is sent for the first time; (None, the first
    record's address) when it was sent before. `create()` runs the service;
    `url_of(record)` is where the record is shown."""
    token = token_of(request)
    if token is None:
        return create(), None
    try:
        with transaction.atomic():
            # The token first: a concurrent second sending waits here, before creating anything.
            sent = SentForm.objects.create(user=request.user, token=token)
            record = create()
            sent.url = url_of(record)
            sent.save(update_fields=["url"])
    except IntegrityError:
        first = SentForm.objects.filter(user=request.user, token=token).first()
        if first is None:  # another constraint of the record itself
            raise
        return None, first.url
    return record, None


def sent_twice(request, url: str):
    """The answer to a form sent again: to the record created the first time, saying so."""
    messages.info(request, _("This form had already been sent: the record was created once, here it is. "
                             "Nothing was added twice."))
    return redirect(url or "/")
