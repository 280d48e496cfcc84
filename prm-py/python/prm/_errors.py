"""The exception hierarchy: :class:`PrmError` and one subclass per error code.

Every subclass also derives from :class:`ValueError` (all prm errors are about input values), so
``except ValueError`` keeps working for callers that do not know prm.
"""

from __future__ import annotations


class PrmError(Exception):
    """Base class of every prm error.

    Attributes:
        code: the stable error code, equal to the class name (``"NoSignChange"``).
        path: where in the input the problem is (``"flows"``, ``"costs.mdf"``, ``"[3].amounts"``),
            ``""`` for the input as a whole.
    """

    code: str = "PrmError"
    path: str = ""

    def __init__(self, message: str, code: str | None = None, path: str = "") -> None:
        super().__init__(message)
        self.code = code or type(self).__name__
        self.path = path

    def __reduce__(self):  # picklable, e.g. across process pools
        return (type(self), (str(self), self.code, self.path))


class InvalidInput(PrmError, ValueError):
    """The input could not be decoded (missing field, wrong type, unparsable date)."""


class LimitExceeded(PrmError, ValueError):
    """A documented guard against hostile input was exceeded."""


class CurrencyMismatch(PrmError, ValueError):
    """Two amounts in different currencies met in one operation."""


class DecimalOverflow(PrmError, ValueError):
    """A decimal result does not fit (about ±7.9e28)."""


class NonFinite(PrmError, ValueError):
    """A number is NaN or infinite, or a result overflows a float."""


class EmptyCashFlows(PrmError, ValueError):
    """No cash flows were given."""


class NoSignChange(PrmError, ValueError):
    """The flows are all of one sign: there is no rate of return."""


class NoRealRoot(PrmError, ValueError):
    """The flows change sign but no rate zeroes their present value."""


class InvalidRate(PrmError, ValueError):
    """A rate is <= -100% or not finite."""


class LengthMismatch(PrmError, ValueError):
    """Aligned lists (dates and amounts) differ in length."""


class DateBeforeStart(PrmError, ValueError):
    """``xnpv_excel``: a date precedes the first date."""


class NeverPaysBack(PrmError, ValueError):
    """The cumulative cash flow never recovers."""


class RateOutOfRange(PrmError, ValueError):
    """A rate of return exists but lies outside the range prm searches."""


class ZeroInvestment(PrmError, ValueError):
    """The investment (or MDF spend, or acquisition cost) is zero."""


class ZeroRevenue(PrmError, ValueError):
    """Attributed revenue is zero where it divides."""


class ZeroChurn(PrmError, ValueError):
    """Retention of 100% in the simple lifetime-value formula."""


class ZeroAllocation(PrmError, ValueError):
    """MDF allocation is zero."""


class ZeroQuota(PrmError, ValueError):
    """The quota is zero."""


class InvalidProbability(PrmError, ValueError):
    """A probability outside [0, 1]."""


class RevenueBeforeActivation(PrmError, ValueError):
    """A partner's first revenue precedes its activation."""


class NoRevenue(PrmError, ValueError):
    """No partner has revenue."""


class InvalidProgram(PrmError, ValueError):
    """A tier program is not valid (no tiers, duplicate names, at_least above its list, per <= 0)."""


class UnknownTier(PrmError, ValueError):
    """A previous status names a tier the program does not have."""


class InvalidAmount(PrmError, ValueError):
    """A deal amount is negative or finer than its currency's minor unit."""


class InvalidWeight(PrmError, ValueError):
    """A touch weight or custom type weight is negative."""


class InvalidModel(PrmError, ValueError):
    """Attribution model parameters are out of range."""


class UnknownTouchType(PrmError, ValueError):
    """The custom model has no weight for a touch's type."""


class InvalidJourney(PrmError, ValueError):
    """A journey row is malformed (negative or non-finite counts, a bad path)."""


class InvalidCondition(PrmError, ValueError):
    """A routing condition is not valid (unknown field, op on the wrong type, between lo > hi)."""


class ParseError(PrmError, ValueError):
    """The text form of a condition does not parse (the message gives line and column)."""


class InvalidPolicy(PrmError, ValueError):
    """A routing policy is not valid (duplicate rule names or partner ids, misplaced scoring)."""


class InvalidRecord(PrmError, ValueError):
    """A conflicts record is not valid (empty name, timestamps out of order, duplicate id)."""


__all__ = [name for name, value in list(globals().items())
           if isinstance(value, type) and issubclass(value, PrmError)]

for _name in __all__:  # report the public home: prm.NoSignChange (pickles by that name too)
    globals()[_name].__module__ = "prm"
