from django import template

from ..navigation import sections_for

register = template.Library()


@register.simple_tag(takes_context=True)
def awards_sections(context):
    """The Khen thưởng section's groups and tabs for the person and page being shown."""
    request = context["request"]
    match = getattr(request, "resolver_match", None)
    return sections_for(context.get("nav") or {}, match.view_name if match else "")
