"""What a person must renew after a duress restore (loaded with the keys models, apps.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DuressRenewal(models.Model):
    """After a duress restore the coercer knows the person's password and duress password:
    until both are replaced, every staff page leads to the page that replaces them.

    ``retired_duress_hash`` is the deleted duress password's hash, kept only so that neither
    new password may equal it; it goes with the row once both are renewed.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duress_renewal"
    )
    retired_duress_hash = models.CharField(max_length=255, blank=True)
    password_renewed = models.BooleanField(default=False)
    duress_password_renewed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "keys"

    def __str__(self) -> str:
        return f"duress renewal of user #{self.user_id}"
