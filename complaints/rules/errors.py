"""Errors of the rule engine. Messages are in Spanish: they reach officers and operators."""

from __future__ import annotations


class RulesError(ValueError):
    """Base of every error the rule engine raises on bad input."""


class FactsError(RulesError):
    """The facts are malformed: an unknown code, a bad type or a bad date."""


class UnknownLawError(RulesError):
    """The law profile asked for does not exist."""
