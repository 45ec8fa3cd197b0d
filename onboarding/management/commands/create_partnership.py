"""manage.py create_partnership: a new partnership, its agencies and its first manager (emailed an invitation).

    manage.py create_partnership "Tyneside Safeguarding Children Partnership" \\
        --local-authority "Tyneside Council" --agency "Tyneside Council" --agency "Northumbria Police" \\
        --manager-name "Sam Reid" --manager-email sam.reid@example.org --manager-agency "Tyneside Council"
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from onboarding.services import FirstManager, partnership_create
from people.services import split_name


class Command(BaseCommand):
    help = "Set up a partnership, its agencies and its first manager, who is emailed an invitation."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--local-authority", required=True)
        parser.add_argument("--board-name", default="")
        parser.add_argument("--committee-name", default="")
        parser.add_argument("--agency", action="append", required=True, help="Repeat for each agency.")
        parser.add_argument("--manager-name", required=True)
        parser.add_argument("--manager-email", required=True)
        parser.add_argument("--manager-agency", required=True, help="One of the --agency names.")
        parser.add_argument("--manager-job-title", default="")

    def handle(self, *args, **options):
        first_name, last_name = split_name(options["manager_name"])
        try:
            partnership, manager = partnership_create(
                by=None,
                name=options["name"],
                local_authority=options["local_authority"],
                board_name=options["board_name"],
                committee_name=options["committee_name"],
                agencies=options["agency"],
                manager=FirstManager(
                    first_name=first_name,
                    last_name=last_name,
                    email=options["manager_email"],
                    agency=options["manager_agency"],
                    job_title=options["manager_job_title"],
                ),
            )
        except ValidationError as refused:
            messages = (
                [f"{key}: {m}" for key, ms in refused.message_dict.items() for m in ms]
                if hasattr(refused, "error_dict")
                else refused.messages
            )
            raise CommandError("; ".join(messages)) from None
        self.stdout.write(
            f"Created {partnership.name} with {partnership.agencies.count()} agencies. "
            f"{manager.name} ({manager.user.username}) has been emailed an invitation to {manager.user.email}."
        )
