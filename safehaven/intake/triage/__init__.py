"""The staff inbox: listing, reading, answering requests and changing their state, and the
figures kept about them. It moves into ``cases`` when the cases app comes."""
