"""Permissions in one place: who may do what to which object.

Views and templates ask ``user.has_perm("<perm>", obj)``. Every rule starts
with "same partnership", so an object of another partnership is never
allowed; views fetch objects through ``visible_to(user)`` first, which turns
that case into a 404 before a rule is asked.
"""

import rules

from inspections.tenancy import partnership_id_for, partnership_id_of
from people.models import Person

Role = Person.Role


@rules.predicate
def is_member(user):
    return partnership_id_of(user) is not None


@rules.predicate
def in_same_partnership(user, obj):
    user_partnership = partnership_id_of(user)
    return user_partnership is not None and obj is not None and user_partnership == partnership_id_for(obj)


def has_role(*roles: str):
    @rules.predicate(name=f"has_role({', '.join(roles)})")
    def predicate(user):
        return is_member(user) and user.person.role in roles

    return predicate


@rules.predicate
def leads_action(user, action):
    return is_member(user) and action is not None and action.lead_id == user.person.pk


is_manager = has_role(Role.MANAGER)
is_chair = has_role(Role.CHAIR, Role.MANAGER)
is_officer = has_role(Role.OFFICER, Role.MANAGER)

# Reading: any member of the partnership, viewers included.
rules.add_perm("inspections.view", is_member & in_same_partnership)
# Setting plans up: the partnership manager.
rules.add_perm("inspections.manage", is_manager & in_same_partnership)
# Writing an action's update: its lead (whatever their role, bar viewer) or the manager.
rules.add_perm("actions.update", in_same_partnership & (is_manager | (leads_action & ~has_role(Role.VIEWER))))
# Sending the leads of an open round a reminder now ("Send a reminder now" on the home page): the manager.
rules.add_perm("actions.remind", is_manager & in_same_partnership)
# The sense check (agree quadrants, close a round): the sub-group chair or the manager.
rules.add_perm("actions.sense_check", is_chair & in_same_partnership)
# An action's outcome beyond complete (not implemented, superseded or merged, reinstated) and its impact re-tests:
# decided with the sub-group chair's agreement, so recorded by the chair or the manager, as the sense check.
rules.add_perm("actions.close_outcome", is_chair & in_same_partnership)
# Signing a finding off as addressed, and reopening it: the sub-group chair or the manager, as the sense check.
rules.add_perm("inspections.sign_off", is_chair & in_same_partnership)
# Committee reports: officers and the manager.
rules.add_perm("reports.publish", is_officer & in_same_partnership)
# The partnership's committee report style and default wording (asked of the partnership): the same people.
rules.add_perm("reports.style", is_officer & in_same_partnership)
# The partnership's yearly report (start, write, publish; every member reads it): officers and the manager.
rules.add_perm("yearly.write", is_officer & in_same_partnership)
# The security audit log (who signed in, from where, what changed in people's access): the manager.
rules.add_perm("audit.view_log", is_manager & in_same_partnership)
# Outside monitors of a plan (inviting them, removing their access): the manager.
rules.add_perm("monitors.manage", is_manager & in_same_partnership)
