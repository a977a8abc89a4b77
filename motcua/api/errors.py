class FieldErrors(Exception):
    """A 422 answer with one Vietnamese message per field; nothing was stored."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors
