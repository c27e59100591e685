"""The one table of the anonymous-form guards (imported by ``core/models.py``)."""

from django.db import models

from safehaven.core.public_forms.proof_of_work import SPENT_STAMP_TABLE


class SpentStamp(models.Model):
    """The nonce of a used proof-of-work stamp, kept until its challenge expires, so that a
    stamp works once across every app server (``safehaven/core/public_forms/proof_of_work.py``).

    Nothing here is sealed or identifying: nonces are random and made by the server.
    ``expires_unix`` is seconds since the epoch, compared as a plain number by raw SQL.
    """

    nonce = models.CharField(max_length=64, primary_key=True)
    expires_unix = models.BigIntegerField(db_index=True)

    class Meta:
        # The table intake made before the model moved here: kept, so no data moves.
        db_table = SPENT_STAMP_TABLE

    def __str__(self) -> str:
        return "spent proof-of-work stamp"
