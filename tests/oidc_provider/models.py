from django.conf import settings
from django.db import models


class Profile(models.Model):
    """What the provider says about a user beyond Django's user: their name and whether their email is verified."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    name = models.CharField(max_length=200)
    email_verified = models.BooleanField(default=True)

    def __str__(self):
        return self.name
