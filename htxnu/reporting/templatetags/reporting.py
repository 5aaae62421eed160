from django import template

register = template.Library()


@register.inclusion_tag("reporting/partials/notifications.html", takes_context=True)
def report_notifications(context, limit: int = 5):
    """The signed-in user's unread report notifications (for the home page)."""
    from ..models import Notification

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications": []}
    found = Notification.objects.filter(user=user, read_at__isnull=True)[:limit]
    return {"notifications": list(found)}
