from people.selectors import person_for


def membership(request):
    """The signed-in user's Person (or None), for the header and navigation; support staff have none."""
    person = person_for(request.user)
    support_staff = False
    if person is None and getattr(request, "user", None) is not None and request.user.is_authenticated:
        from onboarding.services import is_support_staff

        support_staff = is_support_staff(request.user)
    return {"person": person, "support_staff": support_staff}
