"""Two partnerships built through the services (``tests/homes.py``), and an outside monitor invited to one plan
in each: for the outside monitor's tests, and any test that needs a monitor (``build_monitor_world``).

In each partnership, plan 1 has two endorsed rounds (the latest with a published committee report, the earlier
with a draft report), an open round; plan 2 has endorsed rounds, an agreed round not yet endorsed and a round in
the sense check. The monitor is given plan 1 of Tynedale and plan 2 of Wansbeck: Tynedale's plan 2 and
Wansbeck's plan 1 are not theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitors.models import MonitorAccess
from tests.factories import MonitorAccessFactory
from tests.homes import World, build_world


@dataclass
class MonitorWorld:
    tynedale: World
    wansbeck: World
    #: The monitor's access to Tynedale's plan 1 and to Wansbeck's plan 2.
    tynedale_access: MonitorAccess
    wansbeck_access: MonitorAccess

    @property
    def monitor(self):
        return self.tynedale_access.user


def build_monitor_world(*, actions_per_plan: int = 3) -> MonitorWorld:
    tynedale = build_world("Tynedale", actions_per_plan=actions_per_plan)
    wansbeck = build_world("Wansbeck", actions_per_plan=actions_per_plan)
    tynedale_access = MonitorAccessFactory(plan=tynedale.plans[0], invited_by=tynedale.manager)
    wansbeck_access = MonitorAccessFactory(
        user=tynedale_access.user,
        plan=wansbeck.plans[1],
        invited_by=wansbeck.manager,
        organisation="NHS England SEND adviser",
    )
    return MonitorWorld(tynedale, wansbeck, tynedale_access, wansbeck_access)
