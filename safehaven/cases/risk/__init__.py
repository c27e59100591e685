"""A case's risk as the queue reads it: the stored score plus terms computed on reading."""
