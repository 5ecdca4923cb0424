from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from config.rendering import go_to


def safety_acknowledged(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in users must have acknowledged the safety notice once before starting anything.

    A request from a user who has not is sent to the notice. A GET returns to the page asked for (`next`); a POST
    (start a session, copy a routine) goes ahead once the notice is acknowledged (`then`, replayed by a 307 to this
    view, which needs nothing but its URL), or else returns to the page it came from (`next`).
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.profile.has_acknowledged_safety:
            return view(request, *args, **kwargs)
        if request.method == "GET":
            query = {"next": request.get_full_path()}
        else:
            query = {"next": request.headers.get("Referer", ""), "then": request.path}
        url = reverse("safety")
        query = {key: value for key, value in query.items() if value}
        if query:
            url += "?" + urlencode(query)
        return go_to(request, url)

    # config.views.safety replays a POST only to a view marked so (never to an arbitrary address from the query).
    wrapper.continues_after_safety_notice = True  # type: ignore[attr-defined]
    return wrapper
