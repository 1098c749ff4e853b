"""What the pipeline tells the apps above it, which it must not import.

`application_moved` is sent inside the stage move's transaction, after the
application has its new stage: `application`, `from_stage`, `now`.
(The contacts app warns referees from it when the application gets far enough.)
"""

from django.dispatch import Signal

application_moved = Signal()
