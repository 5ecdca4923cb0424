from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.models import Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender: type[User], instance: User, created: bool, raw: bool = False, **kwargs: object) -> None:
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


@receiver(user_logged_in)
def remember_the_device(sender: type[User], request: HttpRequest | None, user: User, **kwargs: object) -> None:
    if request is not None:
        from accounts.security import remember_device

        remember_device(request, user)
