from django import template

register = template.Library()


@register.inclusion_tag("registry/partials/failed_imports.html", takes_context=True)
def failed_imports(context):
    """The signed-in user's recent uploads that were not imported (home page)."""
    from ..selectors import failed_imports as found

    return {"jobs": found(context["request"].user)}
