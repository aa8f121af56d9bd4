"""Contract base classes, one module (or package) per plugin kind.

Importing a contract loads the suite's Hypothesis profile (``quick``, or ``ci`` when ``CI`` is set) unless the
user loaded one of their own, so property clauses run at a predictable cost in base-class use too.
"""

from ..strategies import ensure_profile

ensure_profile()
