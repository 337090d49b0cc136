from .access import viewer_for


def viewer(request):
    """Templates ask the same Viewer as the views do what to show."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"viewer": viewer_for(user)}
