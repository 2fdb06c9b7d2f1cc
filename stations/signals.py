"""Signals other apps connect to; stations imports none of them.

`reception_needs_follow_up(sender=Reception, reception=...)` is sent after the commit that saved a
reception marked 待跟进 (a new one, or one changed to 待跟进). The opinions app connects to it to
open a public-opinion case pointing at the reception (Opinion.reception) without copying data."""

from django.dispatch import Signal

reception_needs_follow_up = Signal()
