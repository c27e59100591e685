"""The public page of an open crisis: for the people of its places, in each public language,
pointing them to the request form."""
