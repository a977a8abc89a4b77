from django import template

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """Vietnamese money format: 1.000.000 đ."""
    return f"{int(amount or 0):,} đ".replace(",", ".")
