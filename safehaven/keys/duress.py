"""Does a typed password match a user's duress password? One check for every caller."""

from __future__ import annotations

from functools import lru_cache

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import check_password, make_password

from safehaven.keys.models import DuressPassword


@lru_cache(maxsize=1)
def dummy_password_hash() -> str:
    # Same hasher and cost as real hashes: checking it takes as long as checking a real one.
    return make_password("safehaven duress placeholder")


def matches_duress_password(user: AbstractBaseUser, password: str) -> bool:
    """True when ``password`` is ``user``'s duress password. Costs one hash check whether or
    not the user has set one, so timing does not tell whether a duress password exists."""
    encoded = (
        DuressPassword.objects.filter(user_id=user.pk)
        .values_list("password_hash", flat=True)
        .first()
    )
    matched = check_password(password, encoded or dummy_password_hash())
    return matched and encoded is not None
