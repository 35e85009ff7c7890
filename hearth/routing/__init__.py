"""The visit planner: plain Python in, plain Python out (no Django), PyVRP inside.

``solve`` plans a day, ``replan`` re-plans the rest of it (an urgent visit);
``StraightLine``, ``OsrmTable`` and ``Matrix`` answer travel times. The types
live in ``hearth.routing.problem``.
"""

from hearth.routing.problem import (
    Place,
    Plan,
    Problem,
    Reason,
    Route,
    Staff,
    Stop,
    TravelTimes,
    Unplaced,
    Visit,
    Weights,
    Window,
)
from hearth.routing.solver import (
    DEFAULT_MOVED_THRESHOLD,
    is_qualified,
    nobody_qualified_reason,
    plan_cost,
    preference_cost,
    replan,
    solve,
)
from hearth.routing.travel import (
    Matrix,
    OsrmTable,
    StraightLine,
    TravelTimesUnavailable,
    haversine_metres,
)

__all__ = [
    "DEFAULT_MOVED_THRESHOLD",
    "Matrix",
    "OsrmTable",
    "Place",
    "Plan",
    "Problem",
    "Reason",
    "Route",
    "Staff",
    "Stop",
    "StraightLine",
    "TravelTimes",
    "TravelTimesUnavailable",
    "Unplaced",
    "Visit",
    "Weights",
    "Window",
    "haversine_metres",
    "is_qualified",
    "nobody_qualified_reason",
    "plan_cost",
    "preference_cost",
    "replan",
    "solve",
]
