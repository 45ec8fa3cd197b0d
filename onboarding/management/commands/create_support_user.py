"""manage.py create_support_user: an account for the service's support staff (not a Django superuser).

Support staff set up partnerships and their first managers (/onboarding/) and see no partnership's plans.
The account has no password until its owner sets one: ``manage.py changepassword`` or "Forgotten your
password?" on the sign-in page.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from onboarding.services import support_user_create


class Command(BaseCommand):
    help = "Create a support staff account (sets up partnerships; sees no partnership's plans)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", required=True)

    def handle(self, *args, **options):
        try:
            user = support_user_create(username=options["username"], email=options["email"])
        except ValidationError as refused:
            raise CommandError("; ".join(refused.messages)) from None
        self.stdout.write(
            f"Created support account {user.username}. They set a password from 'Forgotten your password?' "
            f"on the sign-in page, or: manage.py changepassword {user.username}"
        )
