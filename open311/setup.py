"""The Supervisors group issues and revokes partners' keys (least privilege: nobody else)."""

from django.contrib.auth.models import Group, Permission

from accounts.roles import Role

SUPERVISOR_PERMISSIONS = ("view_apikey", "add_apikey", "change_apikey")


def grant_supervisors() -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    create_permissions(apps.get_app_config("open311"), verbosity=0)
    group, _created = Group.objects.get_or_create(name=Role.SUPERVISOR.group_name)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="open311", codename__in=SUPERVISOR_PERMISSIONS
        )
    )
