from motcua.follow.tests.fixtures import (  # noqa: F401 (fixtures)
    at_specialist,
    desk,
    received,
    returned,
    version,
)
