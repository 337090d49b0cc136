from django import template

from tasks.models import period_label as label

register = template.Library()


@register.filter
def period_label(key):
    """A period key as people write it: 'Quý 3/2022', '05/2022'."""
    return label(key)
