"""Evidence files of a case: adding, copying the person's photos, opening, erasing copies."""
