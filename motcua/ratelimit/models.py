from django.db import models


class Counter(models.Model):
    """One rate-limit counter of the database store (``motcua/ratelimit/store.py``): how many
    hits ``name`` had in the window that ends at ``expires`` (Unix seconds). Written only by
    the store's single-statement upsert; expired rows are reused or swept."""

    name = models.CharField(max_length=200, primary_key=True)
    count = models.IntegerField()
    expires = models.BigIntegerField()

    def __str__(self):
        return f"{self.name}: {self.count}"
