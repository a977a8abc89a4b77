"""Who may do what on the desk floor, with the same explicit actors as dossiers
(``motcua.dossiers.access``): never None.

- Taking a ticket, the kiosk, the display board, a ticket's own "place in the queue" page and
  booking an appointment are public (no log-in; the kiosk and booking are rate-limited).
- Working at a counter (call next, call again, no-show, transfer, finish): the desk officers
  of that counter's desk, and the system. An officer of another desk — or a superuser, who
  oversees and does not sit at a counter — gets 404, as for any page outside their posts.
- The desk's statistics: its desk officers, the leaders of its agency, superusers.
"""

from __future__ import annotations

from motcua.actors import SystemActor
from motcua.agencies.models import Role
from motcua.dossiers.access import Actor, Officer


def desks_of(actor: Actor) -> set[int]:
    """The desks where ``actor`` works a counter."""
    if not isinstance(actor, Officer):
        return set()
    return actor.ids(Role.DESK_OFFICER, "desk_id")


def may_work_at(actor: Actor, counter) -> bool:
    """Call, serve and transfer tickets at ``counter``."""
    if isinstance(actor, SystemActor):
        return True
    return counter.desk_id in desks_of(actor)


def may_see_statistics(actor: Actor, desk) -> bool:
    if isinstance(actor, SystemActor):
        return True
    if not isinstance(actor, Officer):
        return False
    if actor.user.is_superuser or desk.pk in desks_of(actor):
        return True
    return desk.agency_id in actor.ids(Role.AGENCY_LEADER, "agency_id")
