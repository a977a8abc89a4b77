"""Writing dossiers (SPEC §4–§6): every write goes through one of these functions, which the
desk, the API, management commands and the demo loader all call.

- ``receipt``: ``dossier_receive`` (a complete dossier at the desk or from a peer system) and
  ``dossier_submit`` (online, waiting to be accepted), with the rows described once and two
  writers (ORM, one PostgreSQL statement);
- ``actions``: ``dossier_apply``, the one function that changes a status or a step;
- ``notices``: ``desk_notice_create`` (forms 02 and 03 of a dossier not received).

The rules they apply live beside them: ``transitions`` (what may follow what, and who),
``access`` (who sees and who acts), ``deadlines`` (where due times come from), ``process``
(steps), ``codes``, ``trace``, ``messages``.
"""

from motcua.dossiers.services.actions import StaleDossier, dossier_apply
from motcua.dossiers.services.notices import desk_notice_create
from motcua.dossiers.services.receipt import (
    AlreadyReceived,
    Applicant,
    IncomingFile,
    Receipt,
    SubmissionKey,
    applicant_errors,
    dossier_already_received,
    dossier_receive,
    dossier_submit,
)

__all__ = [
    "AlreadyReceived",
    "Applicant",
    "IncomingFile",
    "Receipt",
    "StaleDossier",
    "SubmissionKey",
    "applicant_errors",
    "desk_notice_create",
    "dossier_already_received",
    "dossier_apply",
    "dossier_receive",
    "dossier_submit",
]
