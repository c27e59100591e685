from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "safehaven.intake"
    label = "intake"
    verbose_name = "Intake"

    def ready(self) -> None:
        from safehaven.accounts.audit_display import (
            register_detail_wording,
            register_record_labels,
        )
        from safehaven.core.event_types import EventType

        # Registers the demo step (after the accounts step, which the demo module imports).
        from safehaven.intake import demo  # noqa: F401
        from safehaven.intake.trail.labels import request_labels, status_change_wording

        # The audit log names requests by number and words status changes (accounts/audit_display).
        register_record_labels(request_labels)
        register_detail_wording(EventType.REQUEST_STATUS_CHANGED, status_change_wording)
