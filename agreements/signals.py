"""Cache invalidation only: business rules never live in signals."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import NonWorkingDay
from .services import NON_WORKING_DAYS_CACHE_KEY


@receiver([post_save, post_delete], sender=NonWorkingDay)
def forget_non_working_days(**kwargs):
    cache.delete(NON_WORKING_DAYS_CACHE_KEY)
