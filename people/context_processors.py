from people.selectors import person_for


def membership(request):
    """The signed-in user's Person (or None), for the header and navigation."""
    return {"person": person_for(request.user)}
