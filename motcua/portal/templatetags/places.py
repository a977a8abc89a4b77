from django import template

from motcua.portal.places import tel_href

register = template.Library()


@register.filter
def tel(phone: str) -> str:
    """``{{ phone|tel }}``: the ``tel:`` link of a phone number."""
    return tel_href(phone or "")


@register.filter
def file_kind(name: str) -> str:
    """ "DOCX" or "PDF": what a stored form is (stored with the extension of its content)."""
    return name.rsplit(".", 1)[-1].upper() if "." in (name or "") else ""


@register.filter
def has_forms(documents) -> bool:
    return any(d.form_file or d.sample_file for d in documents)
