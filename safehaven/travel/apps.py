from django.apps import AppConfig


class TravelConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "safehaven.travel"
    label = "travel"

    def ready(self) -> None:
        # Each feature shows itself on the case page through a panel (cases.panels); the
        # registrations are added below, one per feature package. Importing ``demo`` registers
        # the demo step (after cases', whose demo cases it adds travel data to).
        from safehaven.cases.panels import CasePanel, register_case_panel
        from safehaven.travel import demo  # noqa: F401
        from safehaven.travel.saved_routes.panels import saved_routes_panel

        register_case_panel(
            CasePanel("travel-routes", "travel/panel_routes.html", saved_routes_panel, order=210)
        )
        from safehaven.travel.documents.panels import documents_panel
        from safehaven.travel.pathways.panels import pathways_panel

        register_case_panel(
            CasePanel("travel-pathways", "travel/panel_pathways.html", pathways_panel, order=180)
        )
        register_case_panel(
            CasePanel("travel-documents", "travel/panel_documents.html", documents_panel, order=190)
        )
        from safehaven.travel.bookings.panels import bookings_panel

        register_case_panel(
            CasePanel("travel-bookings", "travel/panel_bookings.html", bookings_panel, order=215)
        )
        from safehaven.cases.my_work.sections import register_my_work_section
        from safehaven.travel.reminders import travel_reminders

        register_my_work_section(
            "travel-reminders", "travel/my_work_reminders.html", travel_reminders
        )
        from safehaven.travel.follow_ups.panels import follow_ups_panel
        from safehaven.travel.follow_ups.queries import follow_ups_due

        register_case_panel(
            CasePanel(
                "travel-follow-ups", "travel/panel_follow_ups.html", follow_ups_panel, order=220
            )
        )
        register_my_work_section(
            "travel-follow-ups", "travel/my_work_follow_ups.html", follow_ups_due
        )
        from safehaven.travel.alarms import registrations as alarms
        from safehaven.travel.check_ins import registrations as check_ins
        from safehaven.travel.on_call import registrations as on_call
        from safehaven.travel.referral_packages import registrations as referral_packages
        from safehaven.travel.tickets import registrations as tickets

        for feature in (tickets, check_ins, alarms, on_call, referral_packages):
            feature.register()
        # The alarm's e-mail task registers itself with alarms.notices on import.
        from safehaven.travel import tasks  # noqa: F401
