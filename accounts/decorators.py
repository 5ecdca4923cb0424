from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from config.rendering import go_to


def safety_acknowledged(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in users must have acknowledged the safety notice once before starting anything.

    A request from a user who has not is sent to the notice, which returns them to `next` afterwards: the page
    they came from for a POST (the POST itself is not replayed), the page they asked for otherwise.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.profile.has_acknowledged_safety:
            return view(request, *args, **kwargs)
        back = request.get_full_path() if request.method == "GET" else request.headers.get("Referer", "")
        url = reverse("safety")
        if back:
            url += "?" + urlencode({"next": back})
        return go_to(request, url)

    return wrapper
