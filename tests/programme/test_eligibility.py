"""The four rules, as plain functions, explained in French."""

import pytest
from django.utils import translation

from programme.eligibility import (
    eligibility_check,
    rule_applicant_is_manager,
    rule_dedicated_space,
    rule_last_cafe,
    rule_population,
)


def plain(text: str) -> str:
    """French numbers are grouped with a no-break space; compare words."""
    return " ".join(str(text).split())


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def test_a_village_of_900_meets_the_population_rule_and_shows_the_insee_source(communes):
    result = rule_population(communes["Lhuis"])
    assert result.met is True
    assert plain(result.explanation) == "Lhuis compte 900 habitants : moins de 3 500."
    assert "INSEE" in str(result.source)


def test_a_town_of_12000_fails_the_population_rule_with_the_reason(communes):
    result = rule_population(communes["Gex"])
    assert result.met is False
    assert "Gex compte 12 000 habitants" in plain(result.explanation)
    assert "moins de 3 500" in plain(result.explanation)
    assert "commune nouvelle" in result.explanation


def test_the_threshold_is_strict(communes):
    commune = communes["Lhuis"]
    commune.population = 3500
    assert rule_population(commune).met is False
    commune.population = 3499
    assert rule_population(commune).met is True


def test_an_unknown_population_is_left_to_staff(communes):
    commune = communes["Lhuis"]
    commune.population = None
    result = rule_population(commune)
    assert result.met is None
    assert "n'est pas connue" in result.explanation


def test_only_the_cafes_manager_meets_the_manager_rule(village_cafe, manager, member_factory):
    assert rule_applicant_is_manager(manager, village_cafe).met is True
    other = member_factory()
    result = rule_applicant_is_manager(other, village_cafe)
    assert result.met is False
    assert "Le Café de Lhuis" in result.explanation


def test_declarations_decide_the_last_cafe_and_space_rules():
    assert rule_last_cafe(True).met is True
    assert rule_last_cafe(False).met is False
    assert rule_dedicated_space(True).met is True
    assert "avec ou sans licence" in rule_dedicated_space(False).explanation


def test_all_met_only_when_the_four_rules_are(village_cafe, manager):
    check = eligibility_check(
        applicant=manager,
        cafe=village_cafe,
        commune=village_cafe.commune,
        declares_last_cafe=True,
        declares_dedicated_space=True,
    )
    assert check.all_met
    check = eligibility_check(
        applicant=manager,
        cafe=village_cafe,
        commune=village_cafe.commune,
        declares_last_cafe=True,
        declares_dedicated_space=False,
    )
    assert not check.all_met
    assert [rule.code for rule in check.unmet] == ["space"]
