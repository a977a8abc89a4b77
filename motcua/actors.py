"""The system itself as an actor: a management command, a scheduled job, the demo loader, a
data migration. Services never take ``None`` for "no one in particular"; they take this.
(Dossiers' other actors — officers, citizens, peer systems — are in ``dossiers.access``.)"""

from dataclasses import dataclass


@dataclass(frozen=True, eq=False)
class SystemActor:
    name: str = "Hệ thống"
    # Read by the account services (``agencies.services``), which otherwise act for a user.
    is_superuser = True
    is_authenticated = True
    pk = None

    def __str__(self):
        return self.name


SYSTEM = SystemActor()
