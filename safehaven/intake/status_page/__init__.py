"""The requester's status page: opened with the codename, it shows the thread and takes a
message, new contact details or a withdrawal, inside a short status session."""
