"""People named in a request's annex by the case's key holder, with their consent to share
with a government, sealed under the case's casework key."""
