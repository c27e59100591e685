"""Files the person attached to their request (document photos from the status page): the
staff list on the request page and the audited download."""
