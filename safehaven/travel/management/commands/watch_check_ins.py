"""Watch journeys for missed check-ins: run it from a timer every 5 minutes, and ``--check``
from monitoring. The work is ``travel.alarms.actions.do_watch_journeys``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from safehaven.travel.alarms.actions import do_watch_journeys
from safehaven.travel.alarms.notices import notices_sent_inline
from safehaven.travel.alarms.queries import late_missed_check_ins, unheard_alerts
from safehaven.travel.tasks import watch_journeys


class Command(BaseCommand):
    help = (
        "Queue the task that raises one alert per missed journey check-in and escalates the "
        "alerts not acknowledged within 30 minutes. Safe to run at any time, as often as you "
        "like. With --now, do the work here (and send the e-mails) instead: the backstop when "
        "no task worker runs. With --check, change nothing and fail when the alarm is late."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--now",
            action="store_true",
            help="Do the work in this process and send the e-mails from it, without a worker.",
        )
        mode.add_argument(
            "--check",
            action="store_true",
            help=(
                "Change nothing; exit with status 1 when a check-in missed more than 15 minutes "
                "ago has no alert, when an alert has told nobody 15 minutes after it was "
                "raised or was not escalated on time, or when that cannot be read."
            ),
        )

    def handle(self, *args: Any, now: bool = False, check: bool = False, **options: Any) -> None:
        if check:
            self._check_alarm_on_time()
            return
        if now:
            with notices_sent_inline():
                result = do_watch_journeys()
            # Counts only: ids stay out of logs.
            self.stdout.write(
                f"Raised {result.raised} alerts; escalated {result.escalated}; "
                f"sent the first e-mails again for {result.noticed_again}."
            )
            return
        try:
            watch_journeys.enqueue()
        except DatabaseError as failure:
            raise CommandError(
                f"Could not queue the watch ({type(failure).__name__}): run "
                "`manage.py watch_check_ins --now`."
            ) from None
        self.stdout.write("Queued the watch of journeys.")

    def _check_alarm_on_time(self) -> None:
        # A missed check-in may mean a detention at a border: someone must know within the
        # hour, and nothing else tells the operators that the timer or the worker stopped.
        moment = timezone.now()
        try:
            missed = late_missed_check_ins(moment)
            unheard = unheard_alerts(moment)
        except DatabaseError as failure:
            raise CommandError(
                f"Could not read the check-ins ({type(failure).__name__}): the alarm was not "
                "checked."
            ) from None
        problems = []
        if missed:
            problems.append(
                f"{missed} check-in(s) missed more than 15 minutes ago have no alert: run "
                "`manage.py watch_check_ins --now` and make sure it runs every 5 minutes"
            )
        if unheard:
            problems.append(
                f"{unheard} unacknowledged alert(s) told nobody or were not escalated on time: "
                "check that `manage.py db_worker` and the timer run, and that the on-call rota "
                "or a supervisor can be reached"
            )
        if problems:
            raise CommandError("; ".join(problems) + ".")
        self.stdout.write("Every missed check-in has its alert, and every alert was heard.")
