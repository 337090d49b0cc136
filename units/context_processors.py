from . import identity
from .access import nav_for, viewer_for


def viewer(request):
    """Who is signed in (for display), and what the navigation offers them (`nav`, decided by
    the access layer): templates never derive a permission from the viewer's role."""
    user = getattr(request, "user", None)
    # The department's identity (page title, header, footer) on every page, signed in or not.
    department = identity.current()
    if user is None:
        return {"department": department}
    return {"viewer": viewer_for(user), "nav": nav_for(user), "department": department}
