"""factory_boy factories: the smallest valid row of each kind, in one partnership."""

import datetime

import factory
from django.contrib.auth import get_user_model

from actions.models import Action, ActionPlan, ImpactMeasure, ImpactValue, MonitoringRound, Update
from inspections.models import Agency, Finding, Inspection, Partnership
from people.models import Person

PASSWORD = "Correct-horse-battery-9"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    local_authority = factory.LazyAttribute(lambda p: f"{p.name} Council")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.COUNCIL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    agency = factory.SubFactory(AgencyFactory, partnership=factory.SelfAttribute("..partnership"))
    role = Person.Role.LEAD


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    partnership = factory.SubFactory(PartnershipFactory)
    theme = "Child sexual and criminal exploitation"
    inspectorates = ["ofsted", "cqc", "hmicfrs", "hmip"]
    fieldwork_start = datetime.date(2019, 6, 17)
    fieldwork_end = datetime.date(2019, 6, 21)
    status = Inspection.Status.MONITORING


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    kind = Finding.Kind.AREA_FOR_IMPROVEMENT
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Area for improvement {n}")


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    inspection = factory.SubFactory(InspectionFactory)
    title = "JTAI action plan"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    plan = factory.SubFactory(ActionPlanFactory)
    reference = factory.Sequence(lambda n: f"1.{n + 1}")
    position = factory.Sequence(lambda n: n)
    description = factory.Sequence(lambda n: f"Action {n}")
    lead = factory.SubFactory(PersonFactory, partnership=factory.SelfAttribute("..plan.inspection.partnership"))
    lead_agency = factory.SelfAttribute("lead.agency")
    target_date = datetime.date(2020, 12, 31)


class MonitoringRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringRound

    plan = factory.SubFactory(ActionPlanFactory)
    label = factory.Sequence(lambda n: f"Round {n}")
    period_end = factory.Sequence(lambda n: datetime.date(2020, 1, 31) + datetime.timedelta(days=92 * n))
    update_deadline = factory.LazyAttribute(lambda r: r.period_end - datetime.timedelta(days=7))


class UpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Update

    action = factory.SubFactory(ActionFactory)
    round = factory.SubFactory(MonitoringRoundFactory, plan=factory.SelfAttribute("..action.plan"))
    narrative = "Progress this quarter."


class ImpactMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImpactMeasure

    plan = factory.SubFactory(ActionPlanFactory)
    name = "Cases audited with a safeguarding risk assessment"
    baseline = 30
    target = 90


class ImpactValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImpactValue

    measure = factory.SubFactory(ImpactMeasureFactory)
    period_label = "Q1 2022/23"
    period_end = datetime.date(2022, 6, 30)
    value = 30


class MonitorAccessFactory(factory.django.DjangoModelFactory):
    """An outside monitor (an account with no Person, password ``PASSWORD``) able to see one plan, given by a
    manager of the plan's partnership. Pass ``user=`` to give an existing monitor another plan."""

    class Meta:
        model = "monitors.MonitorAccess"

    user = factory.SubFactory(UserFactory, first_name="Sam", last_name=factory.Sequence(lambda n: f"Adviser{n}"))
    plan = factory.SubFactory(ActionPlanFactory)
    organisation = "DfE SEND adviser"
    invited_by = factory.SubFactory(
        PersonFactory, partnership=factory.SelfAttribute("..plan.inspection.partnership"), role=Person.Role.MANAGER
    )
