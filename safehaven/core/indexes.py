"""Indexes shared by the apps' models."""

from django.db import models
from django.db.models import Q


def index_where_set(field: str, *, name: str) -> models.Index:
    """An index of a nullable column over the rows where it is set. Most new rows leave such a
    column (an audit event's actor, a request's referring organisation) empty, and a full
    index would still sort every empty entry in, at a page or two per commit."""
    return models.Index(fields=[field], condition=Q(**{f"{field}__isnull": False}), name=name)
