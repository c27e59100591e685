"""The kinds and values of a risk fact."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FactKind(models.TextChoices):
    CRIMINALISATION = "criminalisation", _("Same-sex intimacy")
    MAX_PENALTY = "max_penalty", _("Maximum penalty")
    GENDER_RECOGNITION = "gender_recognition", _("Legal gender recognition")
    STATE_PERSECUTION = "state_persecution", _("State persecution without a law")


class FactValue(models.TextChoices):
    LEGAL = "legal", _("Not criminalised")
    CRIMINALISED = "criminalised", _("Criminalised")
    CRIMINALISED_DE_FACTO = "criminalised_de_facto", _("Criminalised de facto")
    PRISON = "prison", _("Prison")
    LIFE = "life", _("Life in prison")
    DEATH_IN_FORCE = "death_in_force", _("Death penalty in force")
    DEATH_POSSIBLE = "death_possible", _("Death penalty possible")
    VARIES = "varies", _("Varies")
    UNDETERMINED = "undetermined", _("Undetermined")
    STATE_PERSECUTION = "state_persecution", _("State-run persecution")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
    UNKNOWN = "unknown", _("Unknown")


# Which values each kind may take: an edit with another pairing is refused.
VALUES_OF_KIND: dict[str, frozenset[str]] = {
    FactKind.CRIMINALISATION: frozenset(
        {FactValue.LEGAL, FactValue.CRIMINALISED, FactValue.CRIMINALISED_DE_FACTO}
    ),
    FactKind.MAX_PENALTY: frozenset(
        {
            FactValue.PRISON,
            FactValue.LIFE,
            FactValue.DEATH_IN_FORCE,
            FactValue.DEATH_POSSIBLE,
            FactValue.VARIES,
            FactValue.UNDETERMINED,
        }
    ),
    FactKind.GENDER_RECOGNITION: frozenset(
        {FactValue.RECOGNISED, FactValue.NOT_RECOGNISED, FactValue.UNKNOWN}
    ),
    FactKind.STATE_PERSECUTION: frozenset({FactValue.STATE_PERSECUTION}),
}


class ForWhom(models.TextChoices):
    NOT_APPLICABLE = "", _("Not applicable")
    MEN = "men", _("Men only")
    MEN_AND_WOMEN = "men_and_women", _("Men and women")
    UNKNOWN = "unknown", _("Unknown")
