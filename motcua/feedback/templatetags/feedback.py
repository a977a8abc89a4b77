from django import template

from motcua.feedback.selectors import published_for_procedure

register = template.Library()


@register.inclusion_tag("feedback/procedure_questions.html")
def procedure_questions(procedure):
    """The questions and answers published on a procedure's page, and the link to ask."""
    return {"procedure": procedure, "items": published_for_procedure(procedure_id=procedure.pk)}
