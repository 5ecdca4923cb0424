from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse

from config.http import AuthenticatedHttpRequest, from_outbox, outbox_gate
from config.rendering import go_to

SAFETY_FIRST = "Please read the safety notice first (open the app and follow it); this entry is kept and sent after."


def safety_acknowledged(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in users must have acknowledged the safety notice once before starting anything.

    A request from a user who has not is sent to the notice. A GET returns to the page asked for (`next`). A POST
    returns to the page it came from (`next`); a POST to a view marked with `replayable_after_notice` (start a
    session, copy a routine: nothing to send but the URL) goes ahead once the notice is acknowledged (`then`,
    replayed by a 307).
    """

    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.profile.has_acknowledged_safety:
            return view(request, *args, **kwargs)
        if from_outbox(request):
            return outbox_gate(SAFETY_FIRST, reverse("safety"))
        if request.method == "GET":
            query = {"next": request.get_full_path()}
        else:
            query = {"next": request.headers.get("Referer", "")}
            if getattr(view, "replayable_after_notice", False):
                query["then"] = request.path
        url = reverse("safety")
        query = {key: value for key, value in query.items() if value}
        if query:
            url += "?" + urlencode(query)
        return go_to(request, url)

    return wrapper


def replayable_after_notice(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Marks a POST view that needs nothing but its URL, so that the safety notice may carry it out once it is
    acknowledged (accounts.safety.views.safety replays only views marked so, never an arbitrary address from the query).
    Put it below @safety_acknowledged."""
    view.replayable_after_notice = True  # type: ignore[attr-defined]
    return view
