"""The four eligibility rules of the programme, as plain functions.

Each rule returns a :class:`RuleResult` the application page shows to the manager as they fill
the form, and staff see again when they review it. A rule that is not met does not block the
application: the manager explains, staff decide.
"""

from dataclasses import dataclass

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import Cafe, Commune
from network.models import Member

POPULATION_THRESHOLD = 3500

# Where the population comes from: directory/data/SOURCE.md.
POPULATION_SOURCE = gettext_lazy(
    "INSEE legal populations, from the official list of French communes "
    "(@etalab/decoupage-administratif 6.0.0, 2026 vintage)."
)


@dataclass(frozen=True)
class RuleResult:
    code: str
    title: str | Promise
    # True met, False not met, None not known yet (nothing to check against).
    met: bool | None
    explanation: str
    source: str | Promise = ""


def _number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def rule_population(commune: Commune | None) -> RuleResult:
    """The commune has fewer than 3,500 inhabitants, by INSEE's legal population."""
    title = gettext_lazy("A village of fewer than 3,500 inhabitants")
    if commune is None:
        return RuleResult("population", title, None, _("Choose the café's commune."))
    if commune.population is None:
        return RuleResult(
            "population",
            title,
            None,
            _("The population of %(commune)s is not known: the programme team will check it.")
            % {"commune": commune.name},
            POPULATION_SOURCE,
        )
    values = {
        "commune": commune.name,
        "population": _number(commune.population),
        "threshold": _number(POPULATION_THRESHOLD),
    }
    if commune.population < POPULATION_THRESHOLD:
        explanation = (
            _("%(commune)s has %(population)s inhabitants: fewer than %(threshold)s.") % values
        )
        return RuleResult("population", title, True, explanation, POPULATION_SOURCE)
    explanation = (
        _(
            "%(commune)s has %(population)s inhabitants: the programme supports villages of "
            "fewer than %(threshold)s. If your café is in a smaller village of this commune "
            "(a commune nouvelle, for example), explain it below."
        )
        % values
    )
    return RuleResult("population", title, False, explanation, POPULATION_SOURCE)


def rule_applicant_is_manager(applicant: Member, cafe: Cafe | None) -> RuleResult:
    """The application is made by the café's manager."""
    title = gettext_lazy("The application is made by the café's manager")
    if cafe is None:
        return RuleResult("manager", title, None, _("Choose your café."))
    is_manager = cafe.managers.filter(pk=applicant.pk).exists()
    if is_manager:
        return RuleResult(
            "manager",
            title,
            True,
            _("You are a manager of %(cafe)s in the directory.") % {"cafe": cafe.name},
        )
    return RuleResult(
        "manager",
        title,
        False,
        _("You are not a manager of %(cafe)s in the directory.") % {"cafe": cafe.name},
    )


def rule_last_cafe(declared: bool) -> RuleResult:
    """The café is the last one open in its commune: declared by the manager, cross-checked by
    staff against the directory (see selectors.cafe_list_other_open)."""
    title = gettext_lazy("The last café open in the commune")
    if declared:
        return RuleResult(
            "last_cafe",
            title,
            True,
            _("You declare that no other café is open in the commune."),
        )
    return RuleResult(
        "last_cafe",
        title,
        False,
        _(
            "You have not declared that your café is the last one open in the commune. If "
            "another café is open, explain below why yours needs support."
        ),
    )


def rule_dedicated_space(declared: bool) -> RuleResult:
    """A dedicated café-bar or tea-room space, with or without a licence."""
    title = gettext_lazy("A dedicated café-bar or tea-room space")
    if declared:
        return RuleResult(
            "space",
            title,
            True,
            _("You declare a dedicated café-bar or tea-room space (a licence is not required)."),
        )
    return RuleResult(
        "space",
        title,
        False,
        _(
            "The programme supports places with a space dedicated to the café-bar or tea room, "
            "with or without a licence."
        ),
    )


@dataclass(frozen=True)
class Eligibility:
    rules: tuple[RuleResult, ...]

    @property
    def all_met(self) -> bool:
        return all(rule.met is True for rule in self.rules)

    @property
    def unmet(self) -> list[RuleResult]:
        return [rule for rule in self.rules if rule.met is not True]


def eligibility_check(
    *,
    applicant: Member,
    cafe: Cafe | None,
    commune: Commune | None,
    declares_last_cafe: bool,
    declares_dedicated_space: bool,
) -> Eligibility:
    return Eligibility(
        rules=(
            rule_population(commune),
            rule_applicant_is_manager(applicant, cafe),
            rule_last_cafe(declares_last_cafe),
            rule_dedicated_space(declares_dedicated_space),
        )
    )


def eligibility_of(application) -> Eligibility:
    return eligibility_check(
        applicant=application.applicant,
        cafe=application.cafe,
        commune=application.commune,
        declares_last_cafe=application.declares_last_cafe,
        declares_dedicated_space=application.declares_dedicated_space,
    )
