from django.db import models
from django.utils.translation import gettext_lazy as _


class UsedChallenge(models.Model):
    """A not-a-robot answer already accepted once, kept until its challenge expires.

    The unique key makes the claim atomic in the shared database, so a replayed answer is
    refused whichever web process or machine it reaches; an expired one is refused by its
    signed expiry anyway, so the row can go then (``manage.py robot_check_clean``).
    """

    key = models.CharField(max_length=100, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("คำตอบยืนยันว่าไม่ใช่โปรแกรมที่ใช้แล้ว")
        verbose_name_plural = _("คำตอบยืนยันว่าไม่ใช่โปรแกรมที่ใช้แล้ว")

    def __str__(self):
        return self.key
