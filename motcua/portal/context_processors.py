from django.conf import settings

TEXT_SIZES = ("small", "normal", "large")


def display_preferences(request):
    """Text size (A-/A/A+) and high contrast, kept in cookies so they work without JavaScript."""
    size = request.COOKIES.get("text_size", "normal")
    return {
        "text_size": size if size in TEXT_SIZES else "normal",
        "high_contrast": request.COOKIES.get("contrast") == "high",
        "site_name": settings.SITE_NAME,
        "site_owner": settings.SITE_OWNER,
    }
