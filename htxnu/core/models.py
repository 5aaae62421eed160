from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from htxnu.geo.scoping import ScopedQuerySet


class AuditEntryQuerySet(ScopedQuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=str(obj.pk)
        )


class AuditEntry(models.Model):
    """Who changed which record, when, and what changed: one row per create, update,
    delete or state change. Written by htxnu.core.audit, never edited."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        IMPORT = "import", _("Imported")
        SUBMIT = "submit", _("Submitted")
        APPROVE = "approve", _("Approved")
        RETURN = "return", _("Returned")
        REOPEN = "reopen", _("Reopened")
        SIGN_IN = "sign_in", _("Signed in")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept so the entry still says who it was after the account is gone.
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("record"), max_length=250)
    # The unit the record belongs to, so its history is visible to whoever sees the record.
    unit = models.ForeignKey("geo.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = AuditEntryQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"]),
            models.Index(fields=["unit", "-at"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"


class SentForm(models.Model):
    """A create form sent once: its token (rendered with the form, core.idempotency)
    and where the record it created is. A second sending of the same form finds it and
    creates nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    url = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form sent")
        verbose_name_plural = _("forms sent")
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="core_sentform_once")]

    def __str__(self):
        return f"{self.user_id}: {self.token}"


class WorkerBeat(models.Model):
    """A running background worker (`manage.py db_worker`) says it is alive: it writes
    its row every core.workers.BEAT_SECONDS and deletes it when it stops. A job waiting
    in the queue while no worker beats will not run (core.workers)."""

    worker_id = models.CharField(max_length=64, unique=True)
    queues = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("background worker")
        verbose_name_plural = _("background workers")

    def __str__(self):
        return f"{self.worker_id} ({self.queues})"
